package dev.driftlock.cbad.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineReaderTest {

    static List<LineReader.Line> read(byte[] bytes) throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(bytes));
        List<LineReader.Line> out = new ArrayList<>();
        LineReader.Line l;
        while ((l = r.next()) != null) {
            out.add(l);
        }
        return out;
    }

    @Test
    void linesAreCountedAsWcCountsThemPlusAnUnterminatedLastLine() throws IOException {
        List<LineReader.Line> lines = read("a\r\nb\n\nc\rd\nlast".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(
                new LineReader.Line(1, "a", true, false),
                new LineReader.Line(2, "b", false, false),
                new LineReader.Line(3, "", false, false),
                new LineReader.Line(4, "c\rd", false, false),
                new LineReader.Line(5, "last", false, false)), lines);
        assertEquals(List.of(), read(new byte[0]));
        assertEquals(1, read("x\n".getBytes(StandardCharsets.UTF_8)).size());
    }

    @Test
    void aLineThatIsNotUtf8IsFlaggedAndTheNextReadsNormally() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.writeBytes("héllo\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[]{'o', 'k', (byte) 0xFF, (byte) 0xC3, '\n'});
        b.writeBytes("après\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(
                new LineReader.Line(1, "héllo", false, false),
                new LineReader.Line(2, "ok\uFFFD\uFFFD", false, true),
                new LineReader.Line(3, "après", false, false)), read(b.toByteArray()));
    }

    @Test
    void longLinesCrossTheBuffer() throws IOException {
        String big = "x".repeat(200_000);
        List<LineReader.Line> lines = read((big + "\n" + big + "é\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(2, lines.size());
        assertEquals(big, lines.get(0).text());
        assertEquals(big + "é", lines.get(1).text());
    }
}
