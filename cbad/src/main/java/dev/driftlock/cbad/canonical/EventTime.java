package dev.driftlock.cbad.canonical;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads an event time from a timestamp field: ISO-8601 (with or without offset, local times taken
 * as UTC, a space instead of {@code T} accepted) or epoch seconds / milliseconds. Internal.
 */
final class EventTime {

    private EventTime() {
    }

    /** @return epoch milliseconds, or {@link Long#MIN_VALUE} when the text is no time */
    static long parse(String s) {
        String t = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return fromEpoch(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** @return epoch milliseconds of epoch seconds (below 1e11) or milliseconds */
    static long fromEpoch(double v) {
        if (!Double.isFinite(v) || v <= 0) {
            return Long.MIN_VALUE;
        }
        return v < 1e11 ? (long) (v * 1000) : (long) v;
    }
}
