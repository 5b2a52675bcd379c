package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One output row per input row, in order, with the exact status of each, for every format. */
class RowCountTest {

    private static final Pattern STATUS = Pattern.compile("\"status\":\"(scored|calibrating|error)\"");
    private static final Pattern ERROR = Pattern.compile("\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Statuses of the good records: the first {@code warmup} calibrating, the rest scored. */
    private static List<String> expected(int records, int warmup, List<Integer> errorRows) {
        List<String> out = new ArrayList<>();
        int good = 0;
        for (int i = 0; i < records; i++) {
            if (errorRows.contains(i)) {
                out.add("error");
            } else {
                out.add(good++ < warmup ? "calibrating" : "scored");
            }
        }
        return out;
    }

    private static List<String> jsonStatuses(String out) {
        List<String> statuses = new ArrayList<>();
        for (String row : out.split("\n")) {
            Matcher m = STATUS.matcher(row);
            assertTrue(m.find(), row);
            statuses.add(m.group(1));
        }
        return statuses;
    }

    private static List<InputRecord> csvRows(String out) throws IOException {
        CsvReader r = new CsvReader(new LineReader(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8))));
        List<InputRecord> rows = new ArrayList<>();
        InputRecord rec;
        while ((rec = r.next()) != null) {
            rows.add(rec);
        }
        return rows;
    }

    @Test
    void aCsvMixingGoodRowsExponentsQuotingAMalformedRowAndAnEmptyLineKeepsEveryRow() throws IOException {
        String latencies = """
                ts,latency,note
                1763700000,-9.2e-06,plain
                1763700060,1E5,"quoted, with comma"
                1763700120,2.5e+3,"she said ""hi""\"
                1763700180,0.0004,"two\r
                lines"
                1763700240,7,too,many

                1763700300,n/a,"no number"
                1763700360,12345678901234567890,big\r
                """;
        StringBuilder csv = new StringBuilder(latencies);
        for (int i = 0; i < 120; i++) {
            csv.append(1763700480 + 60 * i).append(',')
                    .append(String.format(Locale.ROOT, "%.3e", 0.002 + 0.0001 * Math.sin(i / 3.0)))
                    .append(",\"row ").append(i).append(", ok\"\n");
        }
        csv.append("1763707700,\"unclosed\n");
        int inputLines = csv.toString().split("\n", -1).length - 1;
        MainTest.Outcome o = MainTest.run(csv.toString(), "--format", "csv", "--fields", "latency");
        assertEquals(0, o.code(), o.err());
        List<InputRecord> rows = csvRows(o.out());
        // header + 8 fixture records (one spans two lines) + 120 generated + 1 unclosed = 130 rows in and out
        assertEquals(inputLines - 1, rows.size());
        assertEquals(130, rows.size());
        assertEquals(List.of("ts", "latency", "note", "anomaly_score", "anomaly", "status", "error", "incident"), rows.get(0).fields());
        List<String> statuses = new ArrayList<>();
        for (InputRecord r : rows.subList(1, rows.size())) {
            assertEquals(8, r.fields().size(), r.raw());
            statuses.add(r.fields().get(5));
        }
        assertEquals(expected(129, 96, List.of(4, 5, 6, 128)), statuses);
        assertEquals(List.of("1763700000", "-9.2e-06", "plain", "0.0000", "false", "calibrating", "", ""), rows.get(1).fields());
        assertEquals(List.of("1763700180", "0.0004", "two\r\nlines", "0.0000", "false", "calibrating", "", ""), rows.get(4).fields());
        assertEquals(List.of("", "", "", "0.0000", "false", "error", "line 7: expected 3 fields (as in the header), found 4", ""),
                rows.get(5).fields());
        assertEquals(List.of("", "", "", "0.0000", "false", "error", "line 8: empty line", ""), rows.get(6).fields());
        assertEquals(List.of("1763700300", "n/a", "no number", "0.0000", "false", "error",
                "line 9: numeric event has no analysed numeric field", ""), rows.get(7).fields());
        assertEquals("calibrating", rows.get(8).fields().get(5));
        assertEquals(List.of("1763700480", "2.000e-03", "row 0, ok", "0.0000", "false", "calibrating", "", ""), rows.get(9).fields());
        assertEquals("scored", rows.get(128).fields().get(5));
        assertEquals(List.of("", "", "", "0.0000", "false", "error", "line 131: unterminated quoted CSV field (no closing "
                + "quote before the end of the input); reading goes on with the next line", ""), rows.get(129).fields());
        assertTrue(o.err().contains("driftlock detect: 129 records, 29 scored, 96 calibrating, "), o.err());
        assertTrue(o.err().contains(" 4 errors; "), o.err());
    }

    @Test
    void jsonlKeepsEveryRowInOrder() {
        List<String> events = new ArrayList<>(Streams.apiLogs(5, 300, List.of()).events());
        events.add(3, "not json");
        events.add(4, "");
        events.add(5, "[1, 2]");
        events.add(6, "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"latency_ms\":-9.2e-06,\"bytes\":1E5}");
        events.add(7, "{\"latency_ms\": 3");
        String input = String.join("\n", events) + "\n";
        MainTest.Outcome o = MainTest.run(input, "--format", "jsonl");
        assertEquals(0, o.code(), o.err());
        assertEquals(305, o.out().split("\n").length);
        assertEquals(expected(305, 255, List.of(3, 4, 5, 7)), jsonStatuses(o.out()));
        String[] rows = o.out().split("\n");
        assertEquals("{\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"error\",\"error\":\"line 5: empty line\","
                + "\"input\":\"\"}", rows[4]);
        assertTrue(rows[6].startsWith("{\"timestamp\":\"2026-11-21T10:00:00Z\",\"latency_ms\":-9.2e-06,\"bytes\":1E5,"
                + "\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"calibrating\""), rows[6]);
        Matcher m = ERROR.matcher(rows[7]);
        assertTrue(m.find() && m.group(1).startsWith("line 8: malformed JSON: "), rows[7]);
        assertTrue(o.err().contains("driftlock detect: 305 records, 46 scored, 255 calibrating, "), o.err());
        assertTrue(o.err().contains(" 4 errors; "), o.err());
    }

    @Test
    void textKeepsEveryLineIncludingEmptyAndUndecodableOnes() {
        List<String> lines = Streams.textLogs(9, 300, List.of()).events();
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            if (i == 10) {
                in.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
            }
            if (i == 20) {
                in.writeBytes(new byte[]{'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
            }
            if (i == 30) {
                in.writeBytes("value -9.2e-06 in \"quotes\", ok\n".getBytes(StandardCharsets.UTF_8));
            }
            in.writeBytes((lines.get(i) + (i == lines.size() - 1 ? "" : "\r\n")).getBytes(StandardCharsets.UTF_8));
        }
        MainTest.Outcome o = MainTest.run(in.toByteArray(), "--format", "text");
        assertEquals(0, o.code(), o.err());
        String[] rows = o.out().split("\n");
        assertEquals(303, rows.length);
        assertEquals(expected(303, 255, List.of(10, 21)), jsonStatuses(o.out()));
        assertEquals("{\"line\":\"\",\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"error\",\"error\":"
                + "\"line 11: empty line\"}", rows[10]);
        assertEquals("{\"line\":\"bad \uFFFD(\",\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"error\",\"error\":"
                + "\"line 22: not valid UTF-8 text\"}", rows[21]);
        assertTrue(rows[32].startsWith("{\"line\":\"value -9.2e-06 in \\\"quotes\\\", ok\",\"anomaly_score\":0.0000,"
                + "\"anomaly\":false,\"status\":\"calibrating\""), rows[32]);
        assertTrue(rows[0].startsWith("{\"line\":\"" + lines.get(0).replace("\"", "\\\"") + "\","), rows[0]);
        assertTrue(o.err().contains("driftlock detect: 303 records, 46 scored, 255 calibrating, "), o.err());
    }

    @Test
    void aHeaderlessFileOfNumbersLosesNoPointAndNamesItsColumnValue() throws IOException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            in.append(String.format(Locale.ROOT, "%.2f%n", 10 + Math.sin(i / 5.0)));
        }
        MainTest.Outcome o = MainTest.run(in.toString(), "--format", "csv");
        List<InputRecord> rows = csvRows(o.out());
        assertEquals(201, rows.size(), "a named header and one row per input line");
        assertEquals(List.of("value", "anomaly_score", "anomaly", "status", "error", "incident"),
                rows.get(0).fields());
        assertEquals("10.00", rows.get(1).fields().get(0));
        assertTrue(o.err().contains("driftlock detect: 200 records, "), o.err());
    }

    @Test
    void kindNumericIsHonouredForOneNumberPerLineInTextFormat() {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            in.append(String.format(Locale.ROOT, "%.2f%n", 10 + Math.sin(i / 5.0)));
        }
        MainTest.Outcome o = MainTest.run(in.toString(), "--format", "text", "--kind", "numeric");
        assertEquals(200, o.lines().length - 1);
        // the numeric warm-up (160 points), not the text one (256 lines)
        assertTrue(o.err().contains("driftlock detect: 200 records, 40 scored, 160 calibrating, "), o.err());
    }
}
