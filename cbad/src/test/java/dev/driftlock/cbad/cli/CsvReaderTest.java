package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.CbadException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {

    static List<InputRecord> read(String csv) throws IOException {
        CsvReader r = new CsvReader(new LineReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        List<InputRecord> out = new ArrayList<>();
        InputRecord rec;
        while ((rec = r.next()) != null) {
            out.add(rec);
        }
        return out;
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
        String orders = """
                id,note,amount
                1,"plain, with comma",10.5
                2,"she said ""hi""\",-9.2e-06
                3,"two
                lines, and ""quotes""\",1E5
                4,,0
                """;
        List<InputRecord> records = read(orders);
        assertEquals(List.of(
                new InputRecord(1, 1, "id,note,amount", List.of("id", "note", "amount"), null),
                new InputRecord(2, 2, "1,\"plain, with comma\",10.5", List.of("1", "plain, with comma", "10.5"), null),
                new InputRecord(3, 3, "2,\"she said \"\"hi\"\"\",-9.2e-06", List.of("2", "she said \"hi\"", "-9.2e-06"), null),
                new InputRecord(4, 5, "3,\"two\nlines, and \"\"quotes\"\"\",1E5",
                        List.of("3", "two\nlines, and \"quotes\"", "1E5"), null),
                new InputRecord(6, 6, "4,,0", List.of("4", "", "0"), null)), records);
        assertEquals("lines 4-5", records.get(3).where());
    }

    @Test
    void crlfLineEndsAreDroppedButKeptInsideQuotedFields() throws IOException {
        List<InputRecord> records = read("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n");
        assertEquals(List.of(
                new InputRecord(1, 1, "a,b", List.of("a", "b"), null),
                new InputRecord(2, 3, "\"x\r\ny\",2", List.of("x\r\ny", "2"), null),
                new InputRecord(4, 4, "3,4", List.of("3", "4"), null)), records);
    }

    @Test
    void anUnclosedQuoteCostsOneRowAndReadingResumesOnTheNextLine() throws IOException {
        String broken = """
                a,b
                1,"never closed
                2,x
                3,y
                """;
        List<InputRecord> records = read(broken);
        assertEquals(4, records.size());
        assertEquals(InputRecord.error(2, 2, "1,\"never closed", "unterminated quoted CSV field (no closing quote "
                + "before the end of the input); reading goes on with the next line"), records.get(1));
        assertEquals(new InputRecord(3, 3, "2,x", List.of("2", "x"), null), records.get(2));
        assertEquals(new InputRecord(4, 4, "3,y", List.of("3", "y"), null), records.get(3));
    }

    @Test
    void aMultiLineRecordWithTheWrongFieldCountIsReReadLineByLine() throws IOException {
        String stray = """
                a,b
                1,"stray
                2,"x y",3
                4,z
                """;
        CsvReader r = new CsvReader(new LineReader(new ByteArrayInputStream(stray.getBytes(StandardCharsets.UTF_8))));
        assertEquals(new InputRecord(1, 1, "a,b", List.of("a", "b"), null), r.next());
        r.expectFields(2);
        assertEquals(InputRecord.error(2, 2, "1,\"stray", "a quoted field opened on this line spans 2 lines but the "
                + "record then has 3 fields, not 2 (as in the header); reading goes on with the next line"), r.next());
        assertEquals(new InputRecord(3, 3, "2,\"x y\",3", List.of("2", "x y", "3"), null), r.next());
        assertEquals(new InputRecord(4, 4, "4,z", List.of("4", "z"), null), r.next());
        assertEquals(null, r.next());
    }

    @Test
    void emptyLinesAreErrorRecords() throws IOException {
        assertEquals(List.of(
                new InputRecord(1, 1, "a", List.of("a"), null),
                InputRecord.error(2, 2, "", "empty line"),
                new InputRecord(3, 3, "b", List.of("b"), null)), read("a\n\nb\n"));
    }

    @Test
    void splitAndQuoteAreInverse() {
        assertEquals(List.of("a", "b,c", "d\"e", ""), Csv.split("a,\"b,c\",\"d\"\"e\","));
        assertEquals(List.of("x\"y"), Csv.split("x\"y"));
        assertEquals("\"line 3: \"\"x\"\", y\"", Csv.quote("line 3: \"x\", y"));
        assertEquals("plain", Csv.quote("plain"));
        assertThrows(CbadException.InvalidInputException.class, () -> Csv.split("\"open"));
    }
}
