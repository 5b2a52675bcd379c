package dev.driftlock.metering.usage;

import java.time.Instant;
import java.util.List;

/**
 * The caller org's usage in the current period.
 *
 * @param plan                   plan id of the period
 * @param periodStart            period start (inclusive)
 * @param periodEnd              period end (exclusive)
 * @param includedAnomalies      anomalies included in the plan
 * @param usedAnomalies          anomalies counted in the period
 * @param includedUsed           included anomalies used (at most {@code includedAnomalies})
 * @param overageAnomalies       anomalies above the included ones
 * @param overagePriceMicros     price of one overage anomaly, millionths of the currency unit
 * @param estimatedChargesCents  estimated overage charge so far, integer cents (rounded half-up on the period total)
 * @param currency               ISO currency, lower case
 * @param percentUsed            used / included in percent, rounded down
 * @param daysLeft               days until the period ends, rounded up
 * @param thresholdsReached      usage thresholds reached in the period (percent)
 * @param quota                  the quota state
 */
record UsageView(String plan, Instant periodStart, Instant periodEnd, long includedAnomalies, long usedAnomalies, long includedUsed,
                 long overageAnomalies, long overagePriceMicros, long estimatedChargesCents, String currency, long percentUsed,
                 long daysLeft, List<Integer> thresholdsReached, Quota quota) {

    /** The quota state ({@code ok}/{@code warning}/{@code blocked}), why, and the policy behind it. */
    record Quota(String state, String reason, String policy, int capPercent) {
    }
}
