package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An org's anomaly usage crossed a threshold (70, 90, 100 or the cap percent) in a billing period.
 * Published once per threshold per period.
 *
 * @param thresholdPercent  the threshold crossed
 * @param usedAnomalies     anomalies counted in the period when it was crossed
 * @param includedAnomalies anomalies included in the plan
 * @param plan              the plan id (e.g. {@code developer})
 * @param periodStart       start of the billing period (inclusive)
 * @param periodEnd         end of the billing period (exclusive)
 */
public record UsageThresholdCrossed(
        int thresholdPercent, long usedAnomalies, long includedAnomalies, String plan, Instant periodStart, Instant periodEnd)
        implements UsageEvent {

    public UsageThresholdCrossed {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }
}
