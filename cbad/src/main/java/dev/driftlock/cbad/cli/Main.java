package dev.driftlock.cbad.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.cbad.canonical.Keys;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code driftlock detect}: scores every record of a CSV or JSONL stream (file or stdin) and writes
 * it back with {@code anomaly_score} and {@code anomaly} (and {@code why} for JSONL). Streams line by
 * line: memory stays constant whatever the input size. See {@link #USAGE} and docs/cbad.md.
 *
 * <p>Exit codes: 0 ok, 1 I/O error, 2 usage error, 3 malformed input in {@code --on-error stop} mode.
 */
public final class Main {

    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: input/output error (file not found, unreadable). */
    public static final int IO_ERROR = 1;
    /** Exit code: bad arguments. */
    public static final int USAGE = 2;
    /** Exit code: malformed record with {@code --on-error stop}. */
    public static final int MALFORMED = 3;

    static final String USAGE_TEXT = """
            usage: driftlock detect [options]
              --input FILE          CSV or JSONL file (default: stdin)
              --output FILE         where to write the scored records (default: stdout)
              --format jsonl|csv|text
                                    input format (default: from the file extension, else detected
                                    from the first line); text = one log line per record, written
                                    back as {"line":...} JSON objects
              --kind json|text|numeric
                                    how records are analysed (default: json for JSONL; numeric for
                                    CSV when every analysed column of the first record is a number,
                                    else json)
              --fields a,b,c        fields (JSON paths or CSV columns) to analyse
                                    (default: all but timestamp-like fields)
              --exclude a,b         fields never analysed
              --sensitivity S       0.0 (fewest alarms) .. 1.0 (most), default 0.5
              --baseline N          baseline size in events, 64..8192 (default 1000)
              --on-error continue|stop
                                    malformed record: report it on stderr and skip it (default), or
                                    stop with exit code 3
              -h, --help            this help
            exit codes: 0 ok, 1 I/O error, 2 usage error, 3 malformed input (stop mode)
            """;

    private static final JsonFactory JSON = new JsonFactory();

    private Main() {
    }

    /** Usage error. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Parsed options. */
    record Options(String input, String output, String format, InputKind kind, List<String> fields,
                   List<String> exclude, double sensitivity, int baseline, boolean stopOnError) {
    }

    /**
     * @param args arguments after {@code detect}
     */
    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        System.out.flush();
        if (code != OK) {
            System.exit(code);
        }
    }

    static Options parse(String[] args) throws UsageException {
        String input = null;
        String output = null;
        String format = null;
        InputKind kind = null;
        List<String> fields = List.of();
        List<String> exclude = List.of();
        double sensitivity = DetectorConfig.DEFAULT_SENSITIVITY;
        int baseline = DetectorConfig.DEFAULT_BASELINE_EVENTS;
        boolean stop = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new UsageException("");
            }
            String value;
            int eq = a.indexOf('=');
            String name = a;
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value for " + a);
                }
                value = args[++i];
            }
            switch (name) {
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--format" -> {
                    format = value.toLowerCase(Locale.ROOT);
                    if (!format.equals("jsonl") && !format.equals("csv") && !format.equals("text")) {
                        throw new UsageException("--format must be jsonl, csv or text, got " + value);
                    }
                }
                case "--kind" -> {
                    try {
                        kind = InputKind.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--kind must be json, text or numeric, got " + value);
                    }
                }
                case "--fields" -> fields = split(value);
                case "--exclude" -> exclude = split(value);
                case "--sensitivity" -> {
                    try {
                        sensitivity = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--sensitivity must be a number within 0.0..1.0, got " + value);
                    }
                    if (!(sensitivity >= 0 && sensitivity <= 1)) {
                        throw new UsageException("--sensitivity must be within 0.0..1.0, got " + value);
                    }
                }
                case "--baseline" -> {
                    try {
                        baseline = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--baseline must be an integer, got " + value);
                    }
                    if (baseline < 64 || baseline > 8192) {
                        throw new UsageException("--baseline must be within 64..8192, got " + value);
                    }
                }
                case "--on-error" -> {
                    if (!value.equals("continue") && !value.equals("stop")) {
                        throw new UsageException("--on-error must be continue or stop, got " + value);
                    }
                    stop = value.equals("stop");
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (format == null && input != null) {
            String l = input.toLowerCase(Locale.ROOT);
            if (l.endsWith(".csv")) {
                format = "csv";
            } else if (l.endsWith(".jsonl") || l.endsWith(".ndjson") || l.endsWith(".json")) {
                format = "jsonl";
            } else if (l.endsWith(".log") || l.endsWith(".txt")) {
                format = "text";
            }
        }
        return new Options(input, output, format, kind, fields, exclude, sensitivity, baseline, stop);
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /**
     * Runs the command.
     *
     * @param args arguments after {@code detect}
     * @param in   standard input
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            if (e.getMessage().isEmpty()) {
                out.print(USAGE_TEXT);
                return OK;
            }
            err.println("driftlock detect: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        InputStream source = in;
        OutputStream sink = out;
        try {
            if (o.input() != null) {
                source = Files.newInputStream(Path.of(o.input()));
            }
            if (o.output() != null) {
                sink = Files.newOutputStream(Path.of(o.output()));
            }
        } catch (NoSuchFileException e) {
            err.println("driftlock detect: no such file: " + e.getFile());
            return IO_ERROR;
        } catch (IOException e) {
            err.println("driftlock detect: " + e.getMessage());
            return IO_ERROR;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8), 1 << 16);
             Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16)) {
            int code = new Run(o, reader, writer, err).execute();
            writer.flush();
            return code;
        } catch (IOException | UncheckedIOException e) {
            err.println("driftlock detect: I/O error: " + e.getMessage());
            return IO_ERROR;
        } catch (CbadException e) {
            err.println("driftlock detect: " + e.getMessage());
            return USAGE;
        }
    }

    /** One execution over one input. */
    static final class Run {
        private final Options o;
        private final BufferedReader reader;
        private final Writer writer;
        private final PrintStream err;
        private long lineNo;
        private long records;
        private long scored;
        private long anomalies;
        private long drifts;
        private long malformed;
        private String[] header;
        private boolean[] analysed;
        private Detector detector;

        Run(Options o, BufferedReader reader, Writer writer, PrintStream err) {
            this.o = o;
            this.reader = reader;
            this.writer = writer;
            this.err = err;
        }

        int execute() throws IOException {
            long start = System.nanoTime();
            String format = o.format();
            String line;
            try {
                while ((line = reader.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    if (format == null) {
                        format = o.kind() == InputKind.TEXT ? "text"
                                : line.stripLeading().startsWith("{") ? "jsonl" : "csv";
                    }
                    if (format.equals("csv") && header == null) {
                        header = Csv.split(line).toArray(new String[0]);
                        writer.write(line);
                        writer.write(",anomaly_score,anomaly\n");
                        continue;
                    }
                    String event;
                    try {
                        event = format.equals("csv") ? csvEvent(line) : line;
                        if (detector == null) {
                            detector = Detector.create(config(format, line));
                        }
                    } catch (CbadException.InvalidInputException e) {
                        if (malformed(e)) {
                            return MALFORMED;
                        }
                        continue;
                    }
                    Verdict v;
                    try {
                        v = detector.score(event);
                    } catch (CbadException.InvalidInputException e) {
                        if (malformed(e)) {
                            return MALFORMED;
                        }
                        continue;
                    }
                    records++;
                    write(format, line, v);
                }
            } finally {
                if (detector != null) {
                    detector.close();
                }
                writer.flush();
                double secs = (System.nanoTime() - start) / 1e9;
                err.printf(Locale.ROOT,
                        "driftlock detect: %d records, %d scored, %d calibrating, %d anomalies, %d drift windows, "
                                + "%d malformed; %.2f s (%.0f records/s)%n",
                        records, scored, records - scored, anomalies, drifts, malformed, secs, records / Math.max(secs, 1e-9));
            }
            return OK;
        }

        private boolean malformed(CbadException e) {
            malformed++;
            err.println("driftlock detect: line " + lineNo + ": " + e.getMessage()
                    + (o.stopOnError() ? " (stopping: --on-error stop)" : " (skipped)"));
            return o.stopOnError();
        }

        private DetectorConfig config(String format, String firstRecord) {
            Set<String> include = new LinkedHashSet<>(o.fields());
            Set<String> exclude = new LinkedHashSet<>(o.exclude());
            InputKind kind = o.kind();
            if (format.equals("csv")) {
                List<String> values = Csv.split(firstRecord);
                boolean allNumeric = true;
                for (int i = 0; i < header.length; i++) {
                    if (analysed[i] && i < values.size() && !isNumber(values.get(i))) {
                        allNumeric = false;
                    }
                }
                if (kind == null) {
                    kind = allNumeric ? InputKind.NUMERIC : InputKind.JSON;
                }
                // CSV columns are filtered while building the event
                include.clear();
                exclude.clear();
            } else if (format.equals("text")) {
                kind = InputKind.TEXT;
            } else {
                if (kind == null) {
                    kind = InputKind.JSON;
                }
                if (include.isEmpty() && kind != InputKind.TEXT) {
                    exclude.addAll(timestampKeys(firstRecord));
                }
            }
            return new DetectorConfig(kind, o.sensitivity(), include, exclude, o.baseline());
        }

        private Set<String> timestampKeys(String json) {
            Set<String> out = new LinkedHashSet<>();
            try (JsonParser p = JSON.createParser(json)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return out;
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
            } catch (IOException e) {
                // reported when the record is scored
            }
            return out;
        }

        private String csvEvent(String line) throws IOException {
            List<String> values = Csv.split(line);
            if (values.size() != header.length) {
                throw new CbadException.InvalidInputException(
                        "expected " + header.length + " CSV columns, found " + values.size());
            }
            if (analysed == null) {
                analysed = new boolean[header.length];
                for (int i = 0; i < header.length; i++) {
                    String h = header[i];
                    analysed[i] = o.fields().isEmpty() ? !Keys.isTimestampKey(h) && !o.exclude().contains(h)
                            : o.fields().contains(h) && !o.exclude().contains(h);
                }
                for (String f : o.fields()) {
                    if (!List.of(header).contains(f)) {
                        throw new CbadException.InvalidConfigException("--fields names a column the CSV header does "
                                + "not have: " + f);
                    }
                }
            }
            StringWriter sw = new StringWriter(line.length() + 64);
            try (JsonGenerator g = JSON.createGenerator(sw)) {
                g.writeStartObject();
                for (int i = 0; i < header.length; i++) {
                    if (!analysed[i]) {
                        continue;
                    }
                    String v = values.get(i);
                    if (isNumber(v)) {
                        g.writeFieldName(header[i]);
                        g.writeNumber(v.strip());
                    } else {
                        g.writeStringField(header[i], v);
                    }
                }
                g.writeEndObject();
            }
            return sw.toString();
        }

        private static boolean isNumber(String v) {
            String s = v.strip();
            if (s.isEmpty()) {
                return false;
            }
            int i = s.charAt(0) == '-' ? 1 : 0;
            boolean digit = false;
            boolean dot = false;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') {
                    digit = true;
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    return false;
                }
            }
            return digit;
        }

        private void write(String format, String line, Verdict v) throws IOException {
            boolean drift = v instanceof Verdict.Scored s && s.drift() != null && s.drift().drift();
            boolean anomaly = v.anomaly() || drift;
            double score = v.score();
            if (drift) {
                score = Math.max(score, dev.driftlock.cbad.Sensitivity.score(((Verdict.Scored) v).drift().pValue()));
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
            String scoreText = String.format(Locale.ROOT, "%.4f", score);
            if (format.equals("csv")) {
                writer.write(line);
                writer.write(',');
                writer.write(scoreText);
                writer.write(anomaly ? ",true\n" : ",false\n");
                return;
            }
            String why = switch (v) {
                case Verdict.Calibrating c -> c.why();
                case Verdict.Scored s -> s.why();
            };
            if (format.equals("text")) {
                writer.write("{\"line\":\"");
                writer.write(JsonStringEncoder.getInstance().quoteAsString(line));
                writer.write("\",");
            } else {
                String trimmed = line.strip();
                String body = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
                writer.write(body);
                if (!body.endsWith("{")) {
                    writer.write(',');
                }
            }
            writer.write("\"anomaly_score\":");
            writer.write(scoreText);
            writer.write(",\"anomaly\":");
            writer.write(anomaly ? "true" : "false");
            writer.write(",\"why\":\"");
            writer.write(JsonStringEncoder.getInstance().quoteAsString(why));
            writer.write("\"}\n");
        }
    }
}
