package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.CbadException;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one CSV record: comma separated; a field that starts with a double quote is
 * quoted, may hold commas, line breaks and doubled quotes ({@code ""} is one {@code "}). Lenient
 * where real files are: a quote inside an unquoted field is kept as it is, and text after a closing
 * quote is appended to the field.
 */
final class Csv {

    private Csv() {
    }

    /**
     * @param record one complete record (may contain line breaks inside quoted fields)
     * @return its fields
     * @throws CbadException.InvalidInputException if a quoted field is not closed
     */
    static List<String> split(String record) {
        Parser p = new Parser();
        p.feed(record);
        if (p.inQuotes()) {
            throw new CbadException.InvalidInputException("unterminated quoted CSV field");
        }
        return p.finish();
    }

    /** @return the value as one CSV field (quoted when it needs to be) */
    static String quote(String value) {
        boolean needs = false;
        for (int i = 0; i < value.length() && !needs; i++) {
            char c = value.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** Incremental field parser: fed one physical line at a time, so a record may span lines. */
    static final class Parser {
        private final List<String> fields = new ArrayList<>();
        private final StringBuilder cur = new StringBuilder();
        private boolean quoted;
        private boolean fieldStart = true;
        private boolean pendingQuote;

        /** @param text the next piece of the record (one line's text, without its line end) */
        void feed(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (pendingQuote) {
                    pendingQuote = false;
                    if (c == '"') {
                        cur.append('"');
                        continue;
                    }
                    quoted = false;
                }
                if (quoted) {
                    if (c == '"') {
                        pendingQuote = true;
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                    fieldStart = false;
                } else if (c == ',') {
                    fields.add(cur.toString());
                    cur.setLength(0);
                    fieldStart = true;
                } else {
                    cur.append(c);
                    fieldStart = false;
                }
            }
        }

        /** @return true while a quoted field is open (the record continues on the next line) */
        boolean inQuotes() {
            return quoted && !pendingQuote;
        }

        /** @param lineEnd the line end inside a quoted field ("\n" or "\r\n"), kept in the value */
        void lineBreak(String lineEnd) {
            cur.append(lineEnd);
        }

        /** @return the fields of the record */
        List<String> finish() {
            fields.add(cur.toString());
            return fields;
        }
    }
}
