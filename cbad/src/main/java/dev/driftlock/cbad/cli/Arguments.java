package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the arguments of {@code driftlock detect} into {@link Options}. */
final class Arguments {

    private Arguments() {
    }

    /** Usage error; an empty message means "--help". */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args arguments after {@code detect}
     * @return the options
     * @throws UsageException on a bad argument, or with an empty message for --help
     */
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
}
