package dev.driftlock.cbad.cli;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV records over physical lines: a record spans lines while a quoted field is open. A quoted
 * field still open after {@link #MAX_RECORD_LINES} lines, {@link #MAX_RECORD_CHARS} characters or at
 * the end of the input makes its first line an error record, and reading resumes at the line after
 * it (so one stray quote costs one row, not the rest of the file). Once the header is known, a record
 * spanning lines whose field count differs from the header's is treated the same way.
 */
final class CsvReader {

    /** Most physical lines one record may span. */
    static final int MAX_RECORD_LINES = 1000;
    /** Most characters of one record. */
    static final int MAX_RECORD_CHARS = 1 << 20;

    private final LineReader lines;
    private final ArrayDeque<LineReader.Line> replay = new ArrayDeque<>();
    private int expectedFields;

    CsvReader(LineReader lines) {
        this.lines = lines;
    }

    /** @param line a line already read from the same input, to be read again first */
    void unread(LineReader.Line line) {
        replay.addFirst(line);
    }

    private LineReader.Line take() throws IOException {
        return replay.isEmpty() ? lines.next() : replay.pollFirst();
    }

    /** @return the next record, or null at the end of the input */
    InputRecord next() throws IOException {
        LineReader.Line first = take();
        if (first == null) {
            return null;
        }
        if (first.text().isBlank()) {
            return InputRecord.error(first.number(), first.number(), first.text(), "empty line");
        }
        Csv.Parser parser = new Csv.Parser();
        parser.feed(first.text());
        if (!parser.inQuotes()) {
            return record(first.number(), first.number(), first.text(), parser, first.undecodable());
        }
        List<LineReader.Line> consumed = new ArrayList<>();
        consumed.add(first);
        StringBuilder raw = new StringBuilder(first.text());
        boolean undecodable = first.undecodable();
        LineReader.Line prev = first;
        while (parser.inQuotes()) {
            LineReader.Line l = consumed.size() < MAX_RECORD_LINES && raw.length() <= MAX_RECORD_CHARS ? take() : null;
            if (l == null) {
                boolean atEnd = consumed.size() < MAX_RECORD_LINES && raw.length() <= MAX_RECORD_CHARS;
                for (int i = consumed.size() - 1; i >= 1; i--) {
                    replay.addFirst(consumed.get(i));
                }
                return InputRecord.error(first.number(), first.number(), first.text(),
                        "unterminated quoted CSV field (no closing quote " + (atEnd ? "before the end of the input"
                                : "within " + MAX_RECORD_LINES + " lines or " + MAX_RECORD_CHARS + " characters")
                                + "); reading goes on with the next line");
            }
            String lineEnd = prev.crlf() ? "\r\n" : "\n";
            parser.lineBreak(lineEnd);
            parser.feed(l.text());
            raw.append(lineEnd).append(l.text());
            undecodable |= l.undecodable();
            consumed.add(l);
            prev = l;
        }
        List<String> fields = parser.finish();
        if (expectedFields > 0 && fields.size() != expectedFields) {
            // most likely a stray quote, not a field with line breaks: cost one row, not several
            for (int i = consumed.size() - 1; i >= 1; i--) {
                replay.addFirst(consumed.get(i));
            }
            return InputRecord.error(first.number(), first.number(), first.text(), "a quoted field opened on this "
                    + "line spans " + consumed.size() + " lines but the record then has " + fields.size()
                    + " fields, not " + expectedFields + " (as in the header); reading goes on with the next line");
        }
        if (undecodable) {
            return InputRecord.error(first.number(), prev.number(), raw.toString(), "not valid UTF-8 text");
        }
        return new InputRecord(first.number(), prev.number(), raw.toString(), fields, null);
    }

    /** @param n fields per record (from the header): a multi-line record with another count is re-read line by line */
    void expectFields(int n) {
        expectedFields = n;
    }

    private static InputRecord record(long firstLine, long lastLine, String raw, Csv.Parser parser, boolean undecodable) {
        if (undecodable) {
            return InputRecord.error(firstLine, lastLine, raw, "not valid UTF-8 text");
        }
        return new InputRecord(firstLine, lastLine, raw, parser.finish(), null);
    }
}
