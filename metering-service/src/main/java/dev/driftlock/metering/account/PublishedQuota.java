package dev.driftlock.metering.account;

import java.time.Instant;

/** The quota state last published for an org (what the gateway enforces now). */
public record PublishedQuota(String state, String reason, String policy, long includedAnomalies, int capPercent, Instant periodEnd) {
}
