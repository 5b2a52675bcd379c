package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.CbadException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code driftlock detect}: scores every record of a JSONL, CSV or text stream (file or stdin) and
 * writes one row per input row, in order, with {@code anomaly_score}, {@code anomaly} and
 * {@code status} (scored, calibrating or error). Streams line by line: memory stays constant
 * whatever the input size. See {@link #USAGE_TEXT} and docs/cbad.md.
 *
 * <p>Exit codes: 0 ok (error rows included), 1 I/O error, 2 usage error, 3 unreadable record in
 * {@code --on-error stop} mode or an unreadable CSV header.
 */
public final class Main {

    /** Exit code: success (unreadable records, if any, are error rows in the output). */
    public static final int OK = 0;
    /** Exit code: input/output error (file not found, unreadable). */
    public static final int IO_ERROR = 1;
    /** Exit code: bad arguments. */
    public static final int USAGE = 2;
    /** Exit code: unreadable record with {@code --on-error stop}, or an unreadable CSV header. */
    public static final int MALFORMED = 3;

    static final String USAGE_TEXT = """
            usage: driftlock detect [options]
              --input FILE          CSV, JSONL or text file (default: stdin)
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
                                    unreadable record: write an error row (status error) and go on
                                    (default), or stop there with exit code 3
              -h, --help            this help
            output: one row per input row, in order; status scored, calibrating or error
            exit codes: 0 ok, 1 I/O error, 2 usage error, 3 unreadable input (stop mode, CSV header)
            """;

    private Main() {
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
            o = Arguments.parse(args);
        } catch (Arguments.UsageException e) {
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
        try (InputStream input = source;
             Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16)) {
            int code = new Detection(o, new LineReader(input), writer, err).execute();
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
}
