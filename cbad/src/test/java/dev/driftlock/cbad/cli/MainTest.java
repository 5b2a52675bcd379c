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
    }

    private static Outcome run(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonlFromStdinGetsScoreAnomalyAndWhy() {
        List<String> events = Streams.apiLogs(21, 600, List.of()).events();
        String input = String.join("\n", events) + "\n"
                + "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"http\":{\"method\":\"GET\",\"path\":\"/api/items\",\"status\":500},"
                + "\"error\":\"OutOfMemoryError\",\"latency_ms\":9000.0,\"bytes\":12,\"user\":\"x\",\"region\":\"mars-1\"}\n";
        Outcome o = run(input, "--sensitivity", "0.5");
        assertEquals(0, o.code());
        String[] lines = o.out().split("\n");
        assertEquals(601, lines.length);
        assertTrue(lines[0].endsWith(",\"anomaly_score\":0.0000,\"anomaly\":false,"
                + "\"why\":\"calibrating: 255 more events needed before the first verdict\"}"), lines[0]);
        assertTrue(lines[0].startsWith(events.get(0).substring(0, events.get(0).length() - 1)));
        assertTrue(lines[600].contains("\"anomaly\":true,\"why\":\"Event 600 is unusual"), lines[600]);
        assertTrue(o.err().startsWith("driftlock detect: 601 records, 346 scored, 255 calibrating, 1 anomalies, 0 drift windows, 0 malformed; "), o.err());
    }

    @Test
    void csvMetricsKeepColumnsAndAppendScore(@TempDir Path dir) throws Exception {
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
        assertEquals("ts,host,cpu,anomaly_score,anomaly", lines[0]);
        assertEquals("1763700000,web-1,50.00,0.0000,false", lines[1]);
        assertTrue(lines[301].startsWith("1763718000,web-1,400.00,1.0000,true"), lines[301]);
    }

    @Test
    void malformedLinesAreReportedWithTheirNumber() {
        String input = "{\"a\":1}\nnot json\n{\"a\":2}\n";
        Outcome skip = run(input, "--format", "jsonl");
        assertEquals(0, skip.code());
        assertTrue(skip.err().contains("line 2: malformed JSON"), skip.err());
        assertEquals(2, skip.out().split("\n").length);
        Outcome stop = run(input, "--format", "jsonl", "--on-error", "stop");
        assertEquals(3, stop.code());
        assertTrue(stop.err().contains("line 2: ") && stop.err().contains("(stopping: --on-error stop)"), stop.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Outcome o = run("", "--sensitivity", "7");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("driftlock detect: --sensitivity must be within 0.0..1.0, got 7"), o.err());
        assertEquals(2, run("", "--bogus", "x").code());
        assertEquals(2, run("", "--format").code());
        assertEquals(1, run("", "--input", "/nonexistent/file.jsonl").code());
        Outcome help = run("", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: driftlock detect"));
    }

    @Test
    void csvQuotingIsUnderstood() {
        assertEquals(List.of("a", "b,c", "d\"e", ""), Csv.split("a,\"b,c\",\"d\"\"e\","));
    }
}
