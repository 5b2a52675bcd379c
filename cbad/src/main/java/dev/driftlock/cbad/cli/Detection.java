package dev.driftlock.cbad.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Sensitivity;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.cbad.canonical.Keys;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One run of {@code driftlock detect} over one input: reads the records, scores them with one
 * detector and writes exactly one output row per input row, in input order (the CSV header row
 * included). A record that cannot be read becomes an error row and detection goes on, unless
 * {@code --on-error stop}.
 */
final class Detection {

    /** Error rows reported one by one on stderr; further ones are only in the output. */
    static final int MAX_ERRORS_ON_STDERR = 100;

    private static final JsonFactory JSON = new JsonFactory();

    private final Options o;
    private final LineReader lines;
    private final Writer out;
    private final PrintStream err;
    private RowWriter writer;
    private Detector detector;
    private String[] header;
    private boolean[] analysed;
    private long records;
    private long scored;
    private long anomalies;
    private long incidents;
    private long drifts;
    private long errors;

    Detection(Options o, LineReader lines, Writer out, PrintStream err) {
        this.o = o;
        this.lines = lines;
        this.out = out;
        this.err = err;
    }

    /** @return {@link Main#OK}, or {@link Main#MALFORMED} when stopped by an unreadable record */
    int execute() throws IOException {
        long start = System.nanoTime();
        try {
            String format = o.format();
            List<LineReader.Line> leading = new ArrayList<>();
            LineReader.Line first = null;
            if (format == null || format.equals("csv")) {
                // empty lines before the first record (they precede the CSV header)
                while ((first = lines.next()) != null && first.text().isBlank() && !first.undecodable()) {
                    leading.add(first);
                }
                if (format == null) {
                    format = first == null ? "jsonl" : o.kind() == InputKind.TEXT ? "text"
                            : first.text().stripLeading().startsWith("{") ? "jsonl" : "csv";
                }
            }
            writer = new RowWriter(out, format);
            return format.equals("csv") ? csv(leading, first) : lines(leading, first);
        } finally {
            if (detector != null) {
                detector.close();
            }
            out.flush();
            double secs = (System.nanoTime() - start) / 1e9;
            err.printf(Locale.ROOT,
                    "driftlock detect: %d records, %d scored, %d calibrating, %d anomalies in %d incidents, "
                            + "%d drift windows, %d errors; %.2f s (%.0f records/s)%n",
                    records, scored, records - scored - errors, anomalies, incidents, drifts, errors, secs,
                    records / Math.max(secs, 1e-9));
        }
    }

    private int lines(List<LineReader.Line> leading, LineReader.Line first) throws IOException {
        for (LineReader.Line l : leading) {
            if (!handle(InputRecord.line(l))) {
                return Main.MALFORMED;
            }
        }
        LineReader.Line l = first != null ? first : lines.next();
        while (l != null) {
            if (!handle(InputRecord.line(l))) {
                return Main.MALFORMED;
            }
            l = lines.next();
        }
        return Main.OK;
    }

    private int csv(List<LineReader.Line> leading, LineReader.Line first) throws IOException {
        CsvReader reader = new CsvReader(lines);
        if (first != null) {
            reader.unread(first);
        }
        InputRecord h = reader.next();
        if (h != null && h.error() != null) {
            err.println("driftlock detect: " + h.where() + ": cannot read the CSV header: " + h.error());
            return Main.MALFORMED;
        }
        InputRecord firstData = null;
        if (h != null && headerless(h.fields())) {
            // a first row of numbers is data, not a header: the columns get names (value, or f0, f1, ...)
            List<String> names = new ArrayList<>();
            for (int i = 0; i < h.fields().size(); i++) {
                names.add(h.fields().size() == 1 ? "value" : "f" + i);
            }
            writer.csvHeader(String.join(",", names));
            header(names);
            reader.expectFields(header.length);
            firstData = h;
        } else if (h != null) {
            writer.csvHeader(h.raw());
            header(h.fields());
            reader.expectFields(header.length);
        }
        for (LineReader.Line l : leading) {
            if (!handle(InputRecord.line(l))) {
                return Main.MALFORMED;
            }
        }
        if (firstData != null && !handle(firstData)) {
            return Main.MALFORMED;
        }
        InputRecord r;
        while ((r = reader.next()) != null) {
            if (!handle(r)) {
                return Main.MALFORMED;
            }
        }
        return Main.OK;
    }

    private void header(List<String> names) {
        header = names.toArray(new String[0]);
        analysed = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            String h = header[i];
            analysed[i] = o.fields().isEmpty() ? !Keys.isTimestampKey(h) && !o.exclude().contains(h)
                    : o.fields().contains(h) && !o.exclude().contains(h);
            if (List.of(RowWriter.CSV_COLUMNS.split(",")).contains(h)) {
                err.println("driftlock detect: warning: the input already has a column '" + h
                        + "'; the output appends another one of that name");
            }
        }
        for (String f : o.fields()) {
            if (!names.contains(f)) {
                throw new CbadException.InvalidConfigException("--fields names a column the CSV header does not have: " + f);
            }
        }
    }

    /** @return false to stop (an unreadable record with --on-error stop) */
    private boolean handle(InputRecord r) throws IOException {
        int columns = header == null ? 1 : header.length;
        if (r.error() != null) {
            return error(r, r.error(), columns);
        }
        String format = writer.format();
        Verdict v;
        try {
            if (format.equals("csv") && r.fields().size() != header.length) {
                return error(r, "expected " + header.length + " fields (as in the header), found "
                        + r.fields().size(), columns);
            }
            String event = switch (format) {
                case "csv" -> csvEvent(r.fields());
                case "jsonl" -> jsonObject(r.raw());
                default -> r.raw();
            };
            if (detector == null) {
                detector = Detector.create(config(format, r));
            }
            v = detector.score(event);
        } catch (CbadException.InvalidInputException e) {
            return error(r, e.getMessage(), -1);
        }
        write(r.raw(), v);
        return true;
    }

    private static String jsonObject(String line) {
        String s = line.strip();
        if (s.charAt(0) != '{') {
            throw new CbadException.InvalidInputException("not a JSON object (a JSONL record must be {...})");
        }
        if (s.charAt(s.length() - 1) != '}') {
            throw new CbadException.InvalidInputException("malformed JSON: the record does not end with '}'");
        }
        return line;
    }

    private boolean error(InputRecord r, String reason, int columns) throws IOException {
        records++;
        errors++;
        String message = r.where() + ": " + reason;
        writer.error(r.raw(), columns, message);
        if (o.stopOnError()) {
            err.println("driftlock detect: " + message + " (stopping: --on-error stop)");
            return false;
        }
        if (errors <= MAX_ERRORS_ON_STDERR) {
            err.println("driftlock detect: " + message + " (error row written)");
        } else if (errors == MAX_ERRORS_ON_STDERR + 1) {
            err.println("driftlock detect: more than " + MAX_ERRORS_ON_STDERR
                    + " errors; the further ones are only in the output rows");
        }
        return true;
    }

    private DetectorConfig config(String format, InputRecord first) {
        Set<String> include = new LinkedHashSet<>(o.fields());
        Set<String> exclude = new LinkedHashSet<>(o.exclude());
        InputKind kind = o.kind();
        if (format.equals("csv")) {
            if (kind == null) {
                kind = allNumbers(first.fields()) ? InputKind.NUMERIC : InputKind.JSON;
            }
            // CSV columns are filtered while building the event
            include.clear();
            exclude.clear();
        } else if (format.equals("text")) {
            // one record per line; analysed as log lines unless --kind says otherwise (numbers)
            kind = kind == null ? InputKind.TEXT : kind;
        } else {
            if (kind == null) {
                kind = InputKind.JSON;
            }
            if (include.isEmpty() && kind != InputKind.TEXT) {
                exclude.addAll(timestampKeys(first.raw()));
            }
        }
        return new DetectorConfig(kind, o.sensitivity(), include, exclude, o.baseline());
    }

    /** @return whether a would-be header is all numbers (a header names its columns) */
    private static boolean headerless(List<String> fields) {
        for (String f : fields) {
            if (Numbers.jsonNumber(f.strip()) == null) {
                return false;
            }
        }
        return !fields.isEmpty();
    }

    /** @return true when every non-empty analysed value is a number, and at least one is */
    private boolean allNumbers(List<String> values) {
        int numbers = 0;
        for (int i = 0; i < header.length; i++) {
            if (!analysed[i] || values.get(i).isBlank()) {
                continue;
            }
            if (Numbers.jsonNumber(values.get(i)) == null) {
                return false;
            }
            numbers++;
        }
        return numbers > 0;
    }

    /** Top-level timestamp-like keys of the first record; it must be a well-formed JSON object. */
    private static Set<String> timestampKeys(String json) {
        Set<String> out = new LinkedHashSet<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CbadException.InvalidInputException("not a JSON object (a JSONL record must be {...})");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (Keys.isTimestampKey(name)) {
                    out.add(name);
                }
                p.nextToken();
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new CbadException.InvalidInputException("malformed JSON: trailing content after the object");
            }
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            throw new CbadException.InvalidInputException("malformed JSON: " + (nl < 0 ? m : m.substring(0, nl)), e);
        }
        return out;
    }

    private String csvEvent(List<String> values) throws IOException {
        StringWriter sw = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            for (int i = 0; i < header.length; i++) {
                if (!analysed[i]) {
                    continue;
                }
                String v = values.get(i);
                String number = Numbers.jsonNumber(v);
                if (number != null) {
                    g.writeFieldName(header[i]);
                    g.writeNumber(number);
                } else {
                    g.writeStringField(header[i], v);
                }
            }
            g.writeEndObject();
        }
        return sw.toString();
    }

    private void write(String raw, Verdict v) throws IOException {
        records++;
        boolean drift = v instanceof Verdict.Scored s && s.drift() != null && s.drift().drift();
        boolean anomaly = v.anomaly() || drift;
        double score = v.score();
        if (drift) {
            score = Math.max(score, Sensitivity.score(((Verdict.Scored) v).drift().pValue()));
        }
        if (v instanceof Verdict.Scored) {
            scored++;
        }
        if (anomaly) {
            anomalies++;
        }
        if (drift) {
            drifts++;
        }
        String why = switch (v) {
            case Verdict.Calibrating c -> c.why();
            case Verdict.Scored s -> s.why();
        };
        long incident = -1;
        if (v instanceof Verdict.Scored s && s.incident() != null) {
            incident = s.incident().id();
            if (s.incident().opened()) {
                incidents++;
            }
        }
        writer.verdict(raw, score, anomaly, v.status(), why, incident);
    }
}
