package dev.driftlock.notification.email;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void amountsAreMinorUnitsOfTheirCurrency() {
        assertEquals("$500.00", Formats.money(50000, "usd"));
        assertEquals("$1,234.56", Formats.money(123456, "usd"));
        assertEquals("€42.00", Formats.money(4200, "eur"));
        assertEquals("¥500", Formats.money(500, "jpy"));
    }

    @Test
    void countsPercentsAndDatesReadAsInEnglish() {
        assertEquals("1,000", Formats.count(1000));
        assertEquals(90, Formats.percent(905, 1000, 70));
        assertEquals(70, Formats.percent(5, 0, 70));
        assertEquals("December 1, 2026", Formats.date(Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals("November 28, 2026 at 09:30 UTC", Formats.dateTime(Instant.parse("2026-11-28T09:30:00Z")));
    }
}
