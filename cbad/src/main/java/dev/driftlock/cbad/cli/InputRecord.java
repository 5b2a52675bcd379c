package dev.driftlock.cbad.cli;

import java.util.List;

/**
 * One input record: one line of JSONL or text, one record of CSV (which may span lines).
 *
 * @param firstLine 1-based first physical line
 * @param lastLine  last physical line (differs from firstLine for CSV records with line breaks)
 * @param raw       the record's text without its final line end (U+FFFD where bytes were not UTF-8)
 * @param fields    CSV fields, or null (other formats, unreadable records)
 * @param error     why the record cannot be read, or null
 */
record InputRecord(long firstLine, long lastLine, String raw, List<String> fields, String error) {

    static InputRecord error(long firstLine, long lastLine, String raw, String error) {
        return new InputRecord(firstLine, lastLine, raw, null, error);
    }

    static InputRecord line(LineReader.Line l) {
        if (l.undecodable()) {
            return error(l.number(), l.number(), l.text(), "not valid UTF-8 text");
        }
        if (l.text().isBlank()) {
            return error(l.number(), l.number(), l.text(), "empty line");
        }
        return new InputRecord(l.number(), l.number(), l.text(), null, null);
    }

    /** @return "line 7" or "lines 7-9" */
    String where() {
        return firstLine == lastLine ? "line " + firstLine : "lines " + firstLine + "-" + lastLine;
    }
}
