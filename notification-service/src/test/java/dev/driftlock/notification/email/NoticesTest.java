package dev.driftlock.notification.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.UsageThresholdCrossed;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoticesTest {

    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void usageThresholdsOf70_90And100PercentAreToldAndOthersAreNot() {
        assertEquals("usage_threshold/2026-11-01T00:00:00Z/70",
                Notices.of(new UsageThresholdCrossed(70, 700, 1000, "developer", START, END)).orElseThrow().factKey());
        assertTrue(Notices.of(new UsageThresholdCrossed(120, 1200, 1000, "developer", START, END)).isEmpty());
    }

    @Test
    void onlyABlockForReachingTheCapIsToldOncePerPeriod() {
        Optional<Notice> capReached = Notices.of(new QuotaStateChanged("blocked", "cap_reached", "hard_cap", 1200, 1000, 120, END, "m"));
        assertEquals("cap_reached/2026-12-01T00:00:00Z", capReached.orElseThrow().factKey());
        assertEquals(Kind.CAP_REACHED, capReached.orElseThrow().kind());
        assertTrue(Notices.of(new QuotaStateChanged("blocked", "payment_suspended", "hard_cap", 10, 1000, 120, END, "m")).isEmpty());
        assertTrue(Notices.of(new QuotaStateChanged("warning", "usage_warning", "hard_cap", 900, 1000, 120, END, "m")).isEmpty());
        assertTrue(Notices.of(new QuotaStateChanged("ok", "none", "allow", 0, 1000, 0, END, "m")).isEmpty());
    }

    @Test
    void onlyMidCycleInvoicesAndRealDunningMovesAreTold() {
        assertTrue(Notices.of(new InvoiceCreated("in_1", "period_end", 100, "usd", null, null, START, END)).isEmpty());
        assertTrue(Notices.of(new InvoiceCreated("in_1", "subscription", 100, "usd", null, null, START, END)).isEmpty());
        assertEquals("mid_cycle_invoice/in_1",
                Notices.of(new InvoiceCreated("in_1", "mid_cycle", 100, "usd", null, null, START, END)).orElseThrow().factKey());
        assertTrue(Notices.of(new DunningStateChanged("grace", "grace", null, "again", 3)).isEmpty());
        assertEquals("dunning/4", Notices.of(new DunningStateChanged("ok", "suspended", null, "paid", 4)).orElseThrow().factKey());
    }

    @Test
    void onlyUsageEmailsCanBeTurnedOff() {
        for (Kind kind : Kind.values()) {
            assertEquals(kind == Kind.USAGE_THRESHOLD, kind.optional(), kind.name());
        }
    }
}
