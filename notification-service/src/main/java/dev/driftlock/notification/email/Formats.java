package dev.driftlock.notification.email;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/** How numbers, amounts and dates read in e-mails (US English, UTC). */
final class Formats {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("MMMM d, yyyy 'at' HH:mm 'UTC'", Locale.US).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code 1000} -> {@code 1,000}. */
    static String count(long value) {
        return NumberFormat.getIntegerInstance(Locale.US).format(value);
    }

    /** Minor units of {@code currency} as money: {@code 50000, "usd"} -> {@code $500.00}, {@code 1200, "eur"} -> {@code €12.00}. */
    static String money(long minorUnits, String currency) {
        Currency unit = Currency.getInstance(currency.toUpperCase(Locale.ROOT));
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(unit);
        int digits = Math.max(unit.getDefaultFractionDigits(), 0);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format.format(BigDecimal.valueOf(minorUnits, digits));
    }

    /** {@code 2026-12-01T00:00:00Z} -> {@code December 1, 2026}. */
    static String date(Instant instant) {
        return instant == null ? "" : DATE.format(instant);
    }

    /** {@code 2026-11-28T09:30:00Z} -> {@code November 28, 2026 at 09:30 UTC}. */
    static String dateTime(Instant instant) {
        return instant == null ? "" : DATE_TIME.format(instant);
    }

    /** Whole percent of {@code used} in {@code included}, rounded down; {@code fallback} when nothing is included. */
    static long percent(long used, long included, long fallback) {
        return included <= 0 ? fallback : Math.floorDiv(used * 100, included);
    }
}
