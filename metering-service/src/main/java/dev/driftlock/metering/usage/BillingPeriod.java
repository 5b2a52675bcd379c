package dev.driftlock.metering.usage;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A billing period [start, end). Until an org has a subscription its periods are calendar months
 * in UTC; an anomaly counts in the period that contains its detection time.
 */
record BillingPeriod(Instant start, Instant end) {

    static BillingPeriod calendarMonthOf(Instant instant) {
        YearMonth month = YearMonth.from(instant.atOffset(ZoneOffset.UTC));
        return new BillingPeriod(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
