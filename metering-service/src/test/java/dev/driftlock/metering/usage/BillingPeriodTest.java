package dev.driftlock.metering.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.metering.account.Subscription;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    static final Subscription STANDARD_FROM_JAN_31 = new Subscription("standard", "active", 10_000, 1_000, "usd",
            Instant.parse("2026-01-31T10:00:00Z"), Instant.parse("2026-02-28T10:00:00Z"), 3);
    static final Subscription STANDARD_FROM_NOV_15 = new Subscription("standard", "active", 10_000, 1_000, "usd",
            Instant.parse("2026-11-15T00:00:00Z"), Instant.parse("2026-12-15T00:00:00Z"), 1);

    static BillingPeriod period(String start, String end) {
        return new BillingPeriod(Instant.parse(start), Instant.parse(end));
    }

    @Test
    void withoutSubscriptionAnAnomalyCountsInItsCalendarMonthUtc() {
        assertEquals(new BillingPeriod.Choice(period("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"), false),
                BillingPeriod.of(null, List.of(), Instant.parse("2026-11-30T23:59:59.999Z")));
        assertEquals(new BillingPeriod.Choice(period("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"), false),
                BillingPeriod.of(null, List.of(), Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void insideTheSubscriptionPeriodItCountsThere() {
        assertEquals(new BillingPeriod.Choice(period("2026-11-15T00:00:00Z", "2026-12-15T00:00:00Z"), true),
                BillingPeriod.of(STANDARD_FROM_NOV_15, List.of(), Instant.parse("2026-11-15T00:00:00Z")));
    }

    @Test
    void afterThePeriodMonthlyPeriodsContinueFromTheAnchor() {
        // Feb 28 is not a new anchor: periods stay on the 31st (or the month's last day)
        assertEquals(new BillingPeriod.Choice(period("2026-03-31T10:00:00Z", "2026-04-30T10:00:00Z"), true),
                BillingPeriod.of(STANDARD_FROM_JAN_31, List.of(), Instant.parse("2026-04-02T00:00:00Z")));
        assertEquals(new BillingPeriod.Choice(period("2026-12-15T00:00:00Z", "2027-01-15T00:00:00Z"), true),
                BillingPeriod.of(STANDARD_FROM_NOV_15, List.of(), Instant.parse("2026-12-15T00:00:00Z")));
    }

    @Test
    void aLateAnomalyCountsInTheStoredPeriodThatContainsIt() {
        BillingPeriod october = period("2026-10-15T00:00:00Z", "2026-11-15T00:00:00Z");
        assertEquals(new BillingPeriod.Choice(october, false),
                BillingPeriod.of(STANDARD_FROM_NOV_15, List.of(october), Instant.parse("2026-11-14T23:00:00Z")));
    }

    @Test
    void aLateAnomalyWithoutStoredPeriodCountsInItsMonthCutAtTheSubscriptionStart() {
        assertEquals(new BillingPeriod.Choice(period("2026-11-01T00:00:00Z", "2026-11-15T00:00:00Z"), false),
                BillingPeriod.of(STANDARD_FROM_NOV_15, List.of(), Instant.parse("2026-11-10T00:00:00Z")));
        assertEquals(new BillingPeriod.Choice(period("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"), false),
                BillingPeriod.of(STANDARD_FROM_NOV_15, List.of(), Instant.parse("2026-10-10T00:00:00Z")));
    }
}
