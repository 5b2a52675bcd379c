package dev.driftlock.cbad.harness2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One generated stream with a label per record: the incident id it belongs to (empty for normal
 * records). Incident ids are {@code I<k>_<class>}, so the class is the part after the first
 * underscore (the same convention as the public kdd labels, {@code I0001_warezclient}).
 *
 * @param dataset  payments, api, metrics, text, numeric
 * @param klass    the anomaly class injected into this stream ({@code none} for a normal-only stream)
 * @param format   CLI input format: jsonl, text or csv
 * @param header   CSV header line, or null
 * @param records  one record per line (without the CSV header)
 * @param incident incident id per record, "" for normal ones
 */
record LabelledData(String dataset, String klass, String format, String header, List<String> records,
                    List<String> incident) {

    LabelledData {
        records = List.copyOf(records);
        incident = List.copyOf(incident);
        if (records.size() != incident.size()) {
            throw new IllegalArgumentException("one label per record");
        }
    }

    String name() {
        return dataset + "-" + klass;
    }

    String fileName() {
        return name() + "." + format;
    }

    static String classOf(String incidentId) {
        int u = incidentId.indexOf('_');
        return u < 0 ? incidentId : incidentId.substring(u + 1);
    }

    /** @return the distinct incident ids in order of first appearance */
    List<String> incidents() {
        Set<String> s = new LinkedHashSet<>();
        for (String i : incident) {
            if (!i.isEmpty()) {
                s.add(i);
            }
        }
        return new ArrayList<>(s);
    }

    int positives() {
        int n = 0;
        for (String i : incident) {
            n += i.isEmpty() ? 0 : 1;
        }
        return n;
    }

    /** The file as the CLI reads it (header first for CSV), LF line ends. */
    String text() {
        StringBuilder sb = new StringBuilder(records.size() * 160);
        if (header != null) {
            sb.append(header).append('\n');
        }
        for (String r : records) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code <name>.<format>} and {@code <name>.labels.csv} (line,label,incident; score_streams.py format). */
    Path write(Path dir) throws IOException {
        Path data = dir.resolve(fileName());
        Files.writeString(data, text(), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("line,label,incident\n");
        for (int i = 0; i < incident.size(); i++) {
            String id = incident.get(i);
            sb.append(i + 1).append(',').append(id.isEmpty() ? 0 : 1).append(',').append(id).append('\n');
        }
        Files.writeString(dir.resolve(name() + ".labels.csv"), sb.toString(), StandardCharsets.UTF_8);
        return data;
    }

    /** Collects records and labels in order. */
    static final class Builder {
        private final List<String> records = new ArrayList<>();
        private final List<String> incident = new ArrayList<>();

        void add(String record, String incidentId) {
            records.add(record);
            incident.add(incidentId == null ? "" : incidentId);
        }

        int size() {
            return records.size();
        }

        LabelledData build(String dataset, String klass, String format, String header) {
            return new LabelledData(dataset, klass, format, header, Collections.unmodifiableList(records), incident);
        }
    }
}
