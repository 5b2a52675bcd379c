package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    record Outcome(int code, String out, String err) {
        String[] lines() {
            return out.split("\n", -1);
        }
    }

    static Outcome run(String input, String... args) {
        return run(input.getBytes(StandardCharsets.UTF_8), args);
    }

    static Outcome run(byte[] input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(input),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonlFromStdinGetsScoreAnomalyStatusAndWhy() {
        List<String> events = Streams.apiLogs(21, 600, List.of()).events();
        String input = String.join("\n", events) + "\n"
                + "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"http\":{\"method\":\"GET\",\"path\":\"/api/items\",\"status\":500},"
                + "\"error\":\"OutOfMemoryError\",\"latency_ms\":9000.0,\"bytes\":12,\"user\":\"x\",\"region\":\"mars-1\"}\n";
        Outcome o = run(input, "--sensitivity", "0.5");
        assertEquals(0, o.code());
        String[] lines = o.out().split("\n");
        assertEquals(601, lines.length);
        assertTrue(lines[0].endsWith(",\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"calibrating\","
                + "\"why\":\"calibrating: 255 more events needed before the first verdict\"}"), lines[0]);
        assertTrue(lines[0].startsWith(events.get(0).substring(0, events.get(0).length() - 1)));
        assertTrue(lines[255].contains(",\"status\":\"scored\",\"why\":\"normal"), lines[255]);
        assertTrue(lines[600].contains("\"anomaly\":true,\"status\":\"scored\",\"incident\":600,\"why\":\"Event 600 is unusual"), lines[600]);
        assertTrue(o.err().startsWith("driftlock detect: 601 records, 346 scored, 255 calibrating, 1 anomalies in 1 incidents, "
                + "0 drift windows, 0 errors; "), o.err());
    }

    @Test
    void csvMetricsKeepColumnsAndAppendScoreAndStatus(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("ts,host,cpu\n");
        for (int i = 0; i < 300; i++) {
            csv.append(1763700000 + 60 * i).append(",web-1,").append(String.format("%.2f", 50 + 5 * Math.sin(i / 5.0))).append('\n');
        }
        csv.append("1763718000,web-1,400.00\n");
        Path file = dir.resolve("cpu.csv");
        Files.writeString(file, csv);
        Outcome o = run("", "--input", file.toString(), "--fields", "cpu");
        assertEquals(0, o.code(), o.err());
        String[] lines = o.out().split("\n");
        assertEquals(302, lines.length);
        assertEquals("ts,host,cpu,anomaly_score,anomaly,status,error,incident", lines[0]);
        assertEquals("1763700000,web-1,50.00,0.0000,false,calibrating,,", lines[1]);
        assertEquals("1763718000,web-1,400.00,1.0000,true,scored,,300", lines[301]);
    }

    @Test
    void aMalformedLineIsAnErrorRowWithItsNumberAndDetectionGoesOn() {
        String input = "{\"a\":1}\nnot json\n{\"a\":2}\n";
        Outcome skip = run(input, "--format", "jsonl");
        assertEquals(0, skip.code());
        String[] rows = skip.out().split("\n");
        assertEquals(3, rows.length);
        assertEquals("{\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"error\",\"error\":\"line 2: not a JSON "
                + "object (a JSONL record must be {...})\",\"input\":\"not json\"}", rows[1]);
        assertTrue(rows[2].startsWith("{\"a\":2,\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"calibrating\""), rows[2]);
        assertTrue(skip.err().contains("driftlock detect: line 2: not a JSON object (a JSONL record must be {...}) "
                + "(error row written)"), skip.err());
        assertTrue(skip.err().contains("driftlock detect: 3 records, 0 scored, 2 calibrating, 0 anomalies in 0 incidents, "
                + "0 drift windows, 1 errors; "), skip.err());
    }

    @Test
    void onErrorStopEndsAtTheFirstUnreadableRecordWithExitCodeThree() {
        String input = "{\"a\":1}\n{\"a\":\n{\"a\":2}\n";
        Outcome stop = run(input, "--format", "jsonl", "--on-error", "stop");
        assertEquals(3, stop.code());
        String[] rows = stop.out().split("\n");
        assertEquals(2, rows.length);
        assertTrue(rows[1].startsWith("{\"anomaly_score\":0.0000,\"anomaly\":false,\"status\":\"error\",\"error\":"
                + "\"line 2: malformed JSON: "), rows[1]);
        assertTrue(stop.err().contains("driftlock detect: line 2: malformed JSON: ")
                && stop.err().contains("(stopping: --on-error stop)"), stop.err());
        assertTrue(stop.err().contains("driftlock detect: 2 records, 0 scored, 1 calibrating, 0 anomalies in 0 incidents, "
                + "0 drift windows, 1 errors; "), stop.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Outcome o = run("", "--sensitivity", "7");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("driftlock detect: --sensitivity must be within 0.0..1.0, got 7"), o.err());
        assertEquals(2, run("", "--bogus", "x").code());
        assertEquals(2, run("", "--format").code());
        assertEquals(2, run("a,b\n1,2\n", "--format", "csv", "--fields", "c").code());
        assertEquals(1, run("", "--input", "/nonexistent/file.jsonl").code());
        Outcome help = run("", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: driftlock detect"));
    }

    @Test
    void anUnreadableCsvHeaderStopsWithExitCodeThree() {
        Outcome o = run(new byte[]{'a', (byte) 0xFF, ',', 'b', '\n', '1', ',', '2', '\n'}, "--format", "csv");
        assertEquals(3, o.code());
        assertTrue(o.err().startsWith("driftlock detect: line 1: cannot read the CSV header: not valid UTF-8 text"), o.err());
    }

    @Test
    void exponentValuesMakeANumericCsvAndAreAnalysed() {
        String exponents = """
                value
                -9.2e-06
                1E5
                2.5e+3
                0.0005
                12345678901234567890
                """;
        Outcome o = run(exponents, "--format", "csv");
        assertEquals(0, o.code(), o.err());
        assertEquals("""
                value,anomaly_score,anomaly,status,error,incident
                -9.2e-06,0.0000,false,calibrating,,
                1E5,0.0000,false,calibrating,,
                2.5e+3,0.0000,false,calibrating,,
                0.0005,0.0000,false,calibrating,,
                12345678901234567890,0.0000,false,calibrating,,
                """, o.out());
        assertTrue(o.err().startsWith("driftlock detect: 5 records, 0 scored, 5 calibrating, 0 anomalies in 0 incidents, "
                + "0 drift windows, 0 errors; "), o.err());
    }

    @Test
    void exponentValuesInJsonlMetricRowsAreAnalysed() {
        String metricRows = """
                {"ts": 1763700000, "value": -9.2e-06}
                {"ts": 1763700060, "value": 1E5}
                {"ts": 1763700120, "value": 2.5e+3}
                """;
        Outcome o = run(metricRows, "--kind", "numeric");
        assertEquals(0, o.code(), o.err());
        String[] rows = o.out().split("\n");
        assertEquals(3, rows.length);
        assertEquals("{\"ts\": 1763700000, \"value\": -9.2e-06,\"anomaly_score\":0.0000,\"anomaly\":false,"
                + "\"status\":\"calibrating\",\"why\":\"calibrating: 95 more points needed before the first verdict\"}", rows[0]);
        assertTrue(o.err().contains(" 0 errors; "), o.err());
    }
}
