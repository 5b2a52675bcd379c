package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Estimated overage of a period passed another multiple of the org's invoice threshold: billing
 * raises a mid-cycle invoice. Published once per step per period.
 *
 * @param step             1 for the first threshold passed, 2 for twice the threshold, ...
 * @param thresholdCents   the org's invoice threshold in cents (default 50000)
 * @param overageAnomalies anomalies above the included quota so far
 * @param overageCents     estimated overage charge so far, integer cents
 * @param currency         ISO currency, lower case ({@code usd})
 * @param periodStart      start of the billing period
 * @param periodEnd        end of the billing period
 */
public record InvoiceThresholdReached(
        int step, long thresholdCents, long overageAnomalies, long overageCents, String currency,
        Instant periodStart, Instant periodEnd) implements UsageEvent {

    public InvoiceThresholdReached {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }
}
