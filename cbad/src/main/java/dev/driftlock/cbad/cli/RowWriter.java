package dev.driftlock.cbad.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Writes one output row per input row.
 *
 * <ul>
 *   <li>CSV: the record verbatim plus {@code anomaly_score,anomaly,status,error,incident}; an error row of a
 *       record whose fields cannot be read has empty original columns.</li>
 *   <li>JSONL: the object plus {@code anomaly_score}, {@code anomaly}, {@code status}, {@code why};
 *       an error row is {@code {"anomaly_score":0.0000,"anomaly":false,"status":"error","error":...,
 *       "input":...}}.</li>
 *   <li>text: {@code {"line":...}} plus the same fields as JSONL; an error row has {@code error}
 *       instead of {@code why}.</li>
 * </ul>
 */
final class RowWriter {

    /** Columns appended to every CSV row. */
    static final String CSV_COLUMNS = "anomaly_score,anomaly,status,error,incident";
    /** Status of an unreadable record. */
    static final String ERROR = "error";

    private final Writer w;
    private final String format;

    RowWriter(Writer w, String format) {
        this.w = w;
        this.format = format;
    }

    String format() {
        return format;
    }

    /** @param raw the CSV header record */
    void csvHeader(String raw) throws IOException {
        w.write(raw);
        w.write(',');
        w.write(CSV_COLUMNS);
        w.write('\n');
    }

    /**
     * @param raw     the record
     * @param score   anomaly score 0..1
     * @param anomaly the verdict
     * @param status  "scored" or "calibrating"
     * @param why     plain-language explanation (JSONL and text)
     * @param incident id of the incident a flagged row opened or grew, or -1
     */
    void verdict(String raw, double score, boolean anomaly, String status, String why, long incident)
            throws IOException {
        String scoreText = String.format(Locale.ROOT, "%.4f", score);
        switch (format) {
            case "csv" -> {
                w.write(raw);
                w.write(',');
                w.write(scoreText);
                w.write(anomaly ? ",true," : ",false,");
                w.write(status);
                w.write(",,");
                if (incident >= 0) {
                    w.write(Long.toString(incident));
                }
                w.write('\n');
            }
            case "text" -> {
                w.write("{\"line\":\"");
                w.write(quote(raw));
                w.write("\",");
                fields(scoreText, anomaly, status);
                incident(incident);
                w.write(",\"why\":\"");
                w.write(quote(why));
                w.write("\"}\n");
            }
            default -> {
                String trimmed = raw.strip();
                String body = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
                w.write(body);
                if (!body.endsWith("{")) {
                    w.write(',');
                }
                fields(scoreText, anomaly, status);
                incident(incident);
                w.write(",\"why\":\"");
                w.write(quote(why));
                w.write("\"}\n");
            }
        }
    }

    private void incident(long incident) throws IOException {
        if (incident >= 0) {
            w.write(",\"incident\":");
            w.write(Long.toString(incident));
        }
    }

    /**
     * @param raw     the record as read
     * @param columns CSV: number of header columns when the record's own fields cannot be written
     *                back (ragged, unterminated, undecodable), or -1 to keep the record verbatim
     * @param message the error, with its line number
     */
    void error(String raw, int columns, String message) throws IOException {
        switch (format) {
            case "csv" -> {
                if (columns < 0) {
                    w.write(raw);
                } else {
                    for (int i = 1; i < columns; i++) {
                        w.write(',');
                    }
                }
                w.write(",0.0000,false,error,");
                w.write(Csv.quote(message));
                w.write(",\n");
            }
            case "text" -> {
                w.write("{\"line\":\"");
                w.write(quote(raw));
                w.write("\",");
                fields("0.0000", false, ERROR);
                w.write(",\"error\":\"");
                w.write(quote(message));
                w.write("\"}\n");
            }
            default -> {
                w.write('{');
                fields("0.0000", false, ERROR);
                w.write(",\"error\":\"");
                w.write(quote(message));
                w.write("\",\"input\":\"");
                w.write(quote(raw));
                w.write("\"}\n");
            }
        }
    }

    private void fields(String score, boolean anomaly, String status) throws IOException {
        w.write("\"anomaly_score\":");
        w.write(score);
        w.write(anomaly ? ",\"anomaly\":true" : ",\"anomaly\":false");
        w.write(",\"status\":\"");
        w.write(status);
        w.write('"');
    }

    private static char[] quote(String s) {
        return JsonStringEncoder.getInstance().quoteAsString(s);
    }
}
