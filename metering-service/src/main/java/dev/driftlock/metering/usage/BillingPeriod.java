package dev.driftlock.metering.usage;

import dev.driftlock.metering.account.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A billing period [start, end). An anomaly counts in the period that contains its detection time
 * (see {@link #of}).
 */
record BillingPeriod(Instant start, Instant end) {

    boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    static BillingPeriod calendarMonthOf(Instant instant) {
        YearMonth month = YearMonth.from(instant.atOffset(ZoneOffset.UTC));
        return new BillingPeriod(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** A period and whether its terms come from the subscription (else: the free plan's, or the stored counter's). */
    record Choice(BillingPeriod period, boolean subscribed) {
    }

    /**
     * The period an instant belongs to for an org.
     * <ul>
     * <li>No subscription: the calendar month (UTC).</li>
     * <li>Inside the subscription's period: that period.</li>
     * <li>After it (renewal not yet received): the following periods of the same length (monthly periods
     * keep their anchor day), on the subscription's terms.</li>
     * <li>Before it (a late event): the stored counter period that contains it; else the calendar month,
     * cut at the subscription's start so that periods never overlap.</li>
     * </ul>
     *
     * @param earlier counter periods stored for the org that start before the subscription's period
     */
    static Choice of(Subscription subscription, List<BillingPeriod> earlier, Instant instant) {
        if (subscription == null) {
            return new Choice(calendarMonthOf(instant), false);
        }
        BillingPeriod current = new BillingPeriod(subscription.periodStart(), subscription.periodEnd());
        if (current.contains(instant)) {
            return new Choice(current, true);
        }
        if (!instant.isBefore(current.end)) {
            return new Choice(current.following(instant), true);
        }
        for (BillingPeriod period : earlier) {
            if (period.contains(instant) && !period.start.isAfter(current.start)) {
                return new Choice(period, false);
            }
        }
        BillingPeriod month = calendarMonthOf(instant);
        Instant end = month.end.isAfter(current.start) ? current.start : month.end;
        return new Choice(new BillingPeriod(month.start, end), false);
    }

    /** The period of this length (monthly: same anchor day) after this one that contains {@code instant}. */
    private BillingPeriod following(Instant instant) {
        ZonedDateTime anchor = start.atZone(ZoneOffset.UTC);
        boolean monthly = anchor.plusMonths(1).toInstant().equals(end);
        Duration length = Duration.between(start, end);
        for (long k = 1; ; k++) {
            Instant from = monthly ? anchor.plusMonths(k).toInstant() : start.plus(length.multipliedBy(k));
            Instant to = monthly ? anchor.plusMonths(k + 1).toInstant() : start.plus(length.multipliedBy(k + 1));
            if (instant.isBefore(to)) {
                return new BillingPeriod(from, to);
            }
        }
    }
}
