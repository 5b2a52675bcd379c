package dev.driftlock.cbad.canonical;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Event times: the fast ISO path agrees with java.time, and everything else still parses. */
class EventTimeTest {

    @Test
    void theFastPathAgreesWithJavaTime() {
        for (String s : new String[] {"2026-12-08T01:30:00Z", "2026-12-08T01:30:00.1Z", "2026-12-08T01:30:00.123Z",
            "2026-12-08T01:30:00.123456789Z", "2024-02-29T23:59:59.999Z", "1969-12-31T23:59:59Z",
            "2000-03-01T00:00:00+02:00", "2026-06-30T12:00:00-07:30", "2026-06-30T12:00:00+0530"}) {
            String iso = s.endsWith("+0530") ? s.substring(0, s.length() - 2) + ":30" : s;
            long expected = iso.endsWith("Z") ? Instant.parse(iso).toEpochMilli() : OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            assertEquals(expected, EventTime.iso(s), s);
            assertEquals(expected, EventTime.parse(s), s);
        }
    }

    @Test
    void otherFormsGoToJavaTimeOrAreNoTime() {
        assertEquals(Long.MIN_VALUE, EventTime.iso("2026-02-30T00:00:00Z"));
        assertEquals(Long.MIN_VALUE, EventTime.parse("2026-02-30T00:00:00Z"));
        assertEquals(1_796_693_400_000L, EventTime.parse("2026-12-08 01:30:00"));
        assertEquals(1_796_693_400_000L, EventTime.parse("2026-12-08T01:30"));
        assertEquals(1_796_693_400_000L, EventTime.parse("1796693400"));
        assertEquals(1_796_693_400_000L, EventTime.parse("1796693400000"));
        assertEquals(Long.MIN_VALUE, EventTime.parse("yesterday"));
    }
}
