package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The org's subscription as metering needs it. Consumers keep the one with the latest
 * {@code revision}, so an out-of-order older event never overwrites newer state.
 *
 * @param plan                 plan id: {@code developer}, {@code standard}, {@code growth}
 * @param status               {@code active}, {@code trialing}, {@code past_due}, {@code canceled}
 * @param includedAnomalies    anomalies included per period
 * @param overagePriceMicros   price of one extra anomaly in millionths of the currency unit
 *                             ({@code 1000} = $0.001); 0 when the plan has no overage
 * @param currency             ISO currency, lower case
 * @param periodStart          current period start
 * @param periodEnd            current period end
 * @param revision             monotonically increasing per org
 * @param stripeSubscriptionId Stripe's id, null for the free plan
 */
public record SubscriptionChanged(
        String plan, String status, long includedAnomalies, long overagePriceMicros, String currency,
        Instant periodStart, Instant periodEnd, long revision, String stripeSubscriptionId) implements BillingEvent {

    public SubscriptionChanged {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }
}
