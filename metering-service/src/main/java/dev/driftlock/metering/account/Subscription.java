package dev.driftlock.metering.account;

import java.time.Instant;

/** The projection of billing's latest {@code SubscriptionChanged} for an org. */
public record Subscription(String plan, String status, long includedAnomalies, long overagePriceMicros, String currency,
                           Instant periodStart, Instant periodEnd, long revision) {
}
