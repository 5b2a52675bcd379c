package dev.driftlock.metering.usage;

import java.time.Instant;

/** The caller org's usage in the current period. */
record UsageView(String plan, Instant periodStart, Instant periodEnd, long includedAnomalies, long usedAnomalies) {
}
