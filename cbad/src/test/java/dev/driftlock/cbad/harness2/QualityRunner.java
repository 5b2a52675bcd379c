package dev.driftlock.cbad.harness2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harness v2: writes the generated streams of {@link Suite} to a directory, runs the CLI jar on each
 * of them (and on the public files of the shared data directory, when present) at each sensitivity,
 * checks that every output has as many rows as its input, and prints Markdown tables per dataset
 * and per anomaly class. Run by {@code scripts/quality.sh}; see docs/cbad.md "Quality harness v2".
 *
 * <pre>
 * java -cp cbad/target/test-classes:cbad/target/driftlock-cbad-cli.jar dev.driftlock.cbad.harness2.QualityRunner \
 *   --jar cbad/target/driftlock-cbad-cli.jar --out /tmp/q2 [--data ../shared/data] [--sensitivities 0.25,0.5,0.75]
 *   [--events 8000] [--seed 1 | --seeds 1,2,3] [--datasets payments,api,...]
 * </pre>
 */
public final class QualityRunner {

    private static final Pattern RATE = Pattern.compile("\\((\\d+) records/s\\)");
    private static final JsonFactory JSON = new JsonFactory();

    /** A generated stream and the file it was written to. */
    record Written(Path file, LabelledData data) {
    }

    /** The outcome of one CLI run. */
    record Run(Score.Totals totals, long inputLines, long outputLines, long records, double seconds, String summary) {
    }

    private final Path jar;
    private final Path out;
    private final String java;
    private final List<String> mismatches = new ArrayList<>();
    private int filesChecked;

    private QualityRunner(Path jar, Path out, String java) {
        this.jar = jar;
        this.out = out;
        this.java = java;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(a.getOrDefault("jar", "cbad/target/driftlock-cbad-cli.jar"));
        Path out = Path.of(a.getOrDefault("out", Files.createTempDirectory("cbad-quality-v2").toString()));
        Files.createDirectories(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] sens = parseDoubles(a.getOrDefault("sensitivities", "0.25,0.5,0.75"));
        int events = Integer.parseInt(a.getOrDefault("events", "8000"));
        String[] seeds = a.getOrDefault("seeds", a.getOrDefault("seed", "1")).split(",");
        List<String> datasets = List.of(a.getOrDefault("datasets", String.join(",", Suite.DATASETS)).split(","));
        Path data = a.containsKey("data") ? Path.of(a.get("data")).toAbsolutePath().normalize() : null;
        QualityRunner q = new QualityRunner(jar, out, java);
        System.out.printf(Locale.ROOT, "# CBAD quality harness v2: seed(s) %s, %d records per event stream, output in %s%n%n",
                String.join(",", seeds), events, out);
        List<Written> streams = new ArrayList<>();
        for (String seed : seeds) {
            // one seed: the streams in the output dir itself; several: a subdirectory per seed
            Path dir = seeds.length == 1 ? out : Files.createDirectories(out.resolve("seed" + seed.trim()));
            for (String d : datasets) {
                if (d.isBlank()) {
                    continue;
                }
                for (String c : Suite.classes(d)) {
                    LabelledData s = Suite.stream(d, c, Long.parseLong(seed.trim()), events);
                    streams.add(new Written(s.write(dir), s));
                }
            }
        }
        for (double s : sens) {
            if (!streams.isEmpty()) {
                q.generated(streams, s);
            }
            if (data != null && Files.isDirectory(data)) {
                q.publicData(data, s);
            }
        }
        System.out.printf(Locale.ROOT, "Row counts: %d outputs checked, %d mismatches%n", q.filesChecked, q.mismatches.size());
        for (String m : q.mismatches) {
            System.out.println("  ROW COUNT MISMATCH " + m);
        }
        System.exit(q.mismatches.isEmpty() ? 0 : 1);
    }

    private static double[] parseDoubles(String s) {
        String[] p = s.split(",");
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = Double.parseDouble(p[i].trim());
        }
        return d;
    }

    // ------------------------------------------------------------------ generated streams

    private void generated(List<Written> streams, double sensitivity) throws Exception {
        System.out.printf(Locale.ROOT, "## Generated streams, sensitivity %.2f%n%n", sensitivity);
        Map<String, Score.Totals> perDataset = new LinkedHashMap<>();
        Map<String, Score.Totals> perClass = new LinkedHashMap<>();
        Map<String, long[]> speed = new LinkedHashMap<>();
        for (Written w : streams) {
            LabelledData s = w.data();
            Run r = run(w.file(), w.file().getParent(), s.format(), s.incident(), sensitivity, s.name());
            String cls = s.dataset() + " / " + s.klass();
            for (String key : List.of(s.dataset(), cls)) {
                (key.equals(cls) ? perClass : perDataset).computeIfAbsent(key, k -> new Score.Totals()).add(r.totals());
                long[] sp = speed.computeIfAbsent(key, k -> new long[2]);
                sp[0] += r.records();
                sp[1] += Math.round(r.seconds() * 1000);
            }
        }
        StringBuilder classes = new StringBuilder();
        classes.append("| dataset / class | incidents detected | incident recall | precision | recall (events) | mean delay (events) "
                + "| FA incidents / 10k normal | FA flagged events / 10k normal | engine incidents (true / all) | events/s |\n");
        classes.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Score.Totals> e : perClass.entrySet()) {
            Score.Totals t = e.getValue();
            Score.Tally c = t.incidents;
            long[] sp = speed.get(e.getKey());
            classes.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d / %d | %s |%n",
                    e.getKey(), c.incidents == 0 ? "- (quiet stream)" : c.detected + "/" + c.incidents,
                    ratio(c.detected, c.incidents), fmt(t.precision()), fmt(t.recall()), fmt1(c.meanDelay()),
                    fmt1(t.faIncidentsPer10k()), fmt1(t.faFlagsPer10k()), t.trueEngineIncidents, t.engineIncidents,
                    rate(sp[0], sp[1] / 1000.0)));
        }
        System.out.println("| dataset | streams | incidents detected | incident recall | precision | recall (events) | mean delay (events) "
                + "| FA incidents / 10k normal | FA flagged events / 10k normal | engine incidents (true / all) | events/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Score.Totals> e : perDataset.entrySet()) {
            Score.Totals t = e.getValue();
            long[] sp = speed.get(e.getKey());
            long n = streams.stream().filter(x -> x.data().dataset().equals(e.getKey())).count();
            System.out.printf(Locale.ROOT, "| %s | %d | %d/%d | %s | %s | %s | %s | %s | %s | %d / %d | %s |%n", e.getKey(), n,
                    t.incidents.detected, t.incidents.incidents, ratio(t.incidents.detected, t.incidents.incidents),
                    fmt(t.precision()), fmt(t.recall()), fmt1(t.incidents.meanDelay()), fmt1(t.faIncidentsPer10k()),
                    fmt1(t.faFlagsPer10k()), t.trueEngineIncidents, t.engineIncidents, rate(sp[0], sp[1] / 1000.0));
        }
        System.out.println();
        System.out.print(classes);
        System.out.println();
    }

    // ------------------------------------------------------------------ public data

    private void publicData(Path data, double sensitivity) throws Exception {
        List<String[]> rows = new ArrayList<>();
        Path kdd = data.resolve("kdd/kdd_dev.jsonl");
        Path kddLabels = data.resolve("kdd/kdd_dev.labels.csv");
        Score.Totals kddTotals = null;
        if (Files.isRegularFile(kdd) && Files.isRegularFile(kddLabels)) {
            List<String> incident = readLabels(kddLabels);
            Run r = run(kdd, out, "jsonl", incident, sensitivity, "kdd_dev");
            kddTotals = r.totals();
            rows.add(publicRow("kdd_dev (network records, labelled)", r, true));
        }
        for (String log : List.of("Thunderbird_2k", "HDFS_2k", "Apache_2k", "OpenSSH_2k")) {
            Path f = data.resolve("logs/" + log + ".log");
            if (!Files.isRegularFile(f)) {
                continue;
            }
            long lines = countLines(f);
            List<String> incident = new ArrayList<>();
            for (long i = 0; i < lines; i++) {
                incident.add("");
            }
            Run r = run(f, out, "text", incident, sensitivity, log);
            rows.add(publicRow(log.equals("Thunderbird_2k") ? log + " (all normal: every alarm is false)"
                    : log + " (unlabelled)", r, log.equals("Thunderbird_2k")));
        }
        if (rows.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "## Public data (%s), sensitivity %.2f%n%n", data, sensitivity);
        System.out.println("| dataset | events | incidents detected | incident recall | precision | recall (events) | mean delay (events) "
                + "| FA incidents / 10k normal | FA flagged events / 10k normal | flagged lines | engine incidents | events/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        System.out.println();
        if (kddTotals != null) {
            System.out.println("kdd_dev per attack class (class = the incident id's suffix in kdd_dev.labels.csv; the JSONL has no label field):");
            System.out.println();
            System.out.println("| attack class | incidents detected | incident recall | recall (events) | mean delay (events) |");
            System.out.println("|---|---|---|---|---|");
            for (Map.Entry<String, Score.Tally> e : kddTotals.byClass.entrySet()) {
                Score.Tally c = e.getValue();
                System.out.printf(Locale.ROOT, "| %s | %d/%d | %s | %s | %s |%n", e.getKey(), c.detected, c.incidents,
                        ratio(c.detected, c.incidents), ratio(c.truePositives, c.positives), fmt1(c.meanDelay()));
            }
            System.out.println();
        }
    }

    private static String[] publicRow(String name, Run r, boolean labelled) {
        Score.Totals t = r.totals();
        Score.Tally c = t.incidents;
        return new String[]{name, String.valueOf(t.events),
                c.incidents == 0 ? "-" : c.detected + "/" + c.incidents, ratio(c.detected, c.incidents),
                labelled ? fmt(t.precision()) : "-", fmt(t.recall()), fmt1(c.meanDelay()),
                labelled ? fmt1(t.faIncidentsPer10k()) : "-", labelled ? fmt1(t.faFlagsPer10k()) : "-",
                String.valueOf(t.flagged), String.valueOf(t.engineIncidents), rate(r.records(), r.seconds())};
    }

    private static List<String> readLabels(Path labels) throws IOException {
        List<String> incident = new ArrayList<>();
        try (BufferedReader br = Files.newBufferedReader(labels, StandardCharsets.UTF_8)) {
            String line = br.readLine(); // header line,label,incident
            while ((line = br.readLine()) != null) {
                String[] p = line.split(",", -1);
                incident.add(p[1].equals("1") ? (p.length > 2 && !p[2].isEmpty() ? p[2] : "I" + p[0] + "_unknown") : "");
            }
        }
        return incident;
    }

    // ------------------------------------------------------------------ running the CLI

    private Run run(Path input, Path outDir, String format, List<String> incident, double sensitivity, String name)
            throws Exception {
        Path output = outDir.resolve(String.format(Locale.ROOT, "%s.s%.2f.out.%s", name, sensitivity,
                format.equals("csv") ? "csv" : "jsonl"));
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                jar.toString(), "--input", input.toString(), "--output", output.toString(),
                "--format", format, "--sensitivity", Double.toString(sensitivity));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IllegalStateException("CLI exit " + rc + " on " + input + ": " + log);
        }
        long inLines = countLines(input);
        long outLines = countLines(output);
        filesChecked++;
        if (inLines != outLines) {
            mismatches.add(String.format(Locale.ROOT, "%s at sensitivity %.2f: %d input lines, %d output lines", input,
                    sensitivity, inLines, outLines));
        }
        int n = incident.size();
        boolean[] flagged = new boolean[n];
        long[] engineId = new long[n];
        Arrays.fill(engineId, -1);
        readOutput(output, format, flagged, engineId);
        Matcher m = RATE.matcher(log);
        double seconds = wall;
        long records = n;
        String summary = log.lines().filter(l -> l.startsWith("driftlock detect:")).findFirst().orElse(log);
        Matcher secs = Pattern.compile("; ([0-9.]+) s \\(").matcher(summary);
        if (secs.find()) {
            seconds = Double.parseDouble(secs.group(1)); // the CLI's own time (without JVM start)
        } else if (m.find()) {
            seconds = n / Double.parseDouble(m.group(1));
        }
        return new Run(Score.evaluate(incident, flagged, engineId), inLines, outLines, records, seconds, summary);
    }

    /** Reads anomaly and incident per row of a CLI output (JSONL rows, or CSV with the appended columns). */
    private static void readOutput(Path output, String format, boolean[] flagged, long[] engineId) throws IOException {
        try (BufferedReader br = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
            String line;
            int row = 0;
            if (format.equals("csv")) {
                br.readLine(); // header
            }
            while ((line = br.readLine()) != null && row < flagged.length) {
                if (format.equals("csv")) {
                    List<String> f = csvFields(line);
                    // ...,anomaly_score,anomaly,status,error,incident
                    int k = f.size();
                    flagged[row] = k >= 4 && f.get(k - 4).equals("true");
                    String inc = k >= 1 ? f.get(k - 1) : "";
                    engineId[row] = inc.isEmpty() ? -1 : Long.parseLong(inc);
                } else {
                    readJsonRow(line, row, flagged, engineId);
                }
                row++;
            }
        }
    }

    private static void readJsonRow(String line, int row, boolean[] flagged, long[] engineId) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            JsonToken t;
            while ((t = p.nextToken()) != null && t != JsonToken.END_OBJECT) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if ("anomaly".equals(key)) {
                    flagged[row] = v == JsonToken.VALUE_TRUE; // the last `anomaly` key wins (ours is appended)
                } else if ("incident".equals(key) && v == JsonToken.VALUE_NUMBER_INT) {
                    engineId[row] = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    /** Lines as {@code wc -l} counts them, plus one for a last line without LF. */
    static long countLines(Path f) throws IOException {
        long n = 0;
        int last = '\n';
        try (var in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
                last = buf[r - 1];
            }
        }
        return last == '\n' ? n : n + 1;
    }

    // ------------------------------------------------------------------ formatting

    private static String ratio(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / (double) b);
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String fmt1(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String rate(long records, double seconds) {
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%,d", Math.round(records / seconds));
    }
}
