package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A billing period is closed: the final usage figures of the period, published once per org and
 * period (metering, after the period end plus a settle delay). Billing bills the overage not
 * invoiced mid-cycle yet. Anomalies of the period that arrive after it was closed are not in these
 * figures (see docs/metering-service.md).
 *
 * @param includedAnomalies anomalies included in the plan for the period
 * @param usedAnomalies     anomalies counted in the period when it was closed
 * @param overageAnomalies  anomalies above the included ones
 * @param overageCents      final overage charge of the period, integer cents (rounded half up on the total)
 * @param currency          ISO currency, lower case ({@code usd})
 * @param periodStart       start of the billing period
 * @param periodEnd         end of the billing period
 * @param plan              the plan of the period
 */
public record PeriodClosed(
        long includedAnomalies, long usedAnomalies, long overageAnomalies, long overageCents, String currency,
        Instant periodStart, Instant periodEnd, String plan) implements UsageEvent {

    public PeriodClosed {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(plan, "plan");
    }
}
