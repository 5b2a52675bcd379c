package dev.driftlock.notification.email;

import java.time.Instant;

/**
 * An org's usage in a period as e-mails print it: {@code 900 of 1,000 anomalies (90%)}, until {@code December 1, 2026}.
 *
 * @param fallbackPercent the percent to show when nothing is included in the plan
 */
public record UsageFigures(long usedAnomalies, long includedAnomalies, long fallbackPercent, Instant periodEnd) {

    public String used() {
        return Formats.count(usedAnomalies);
    }

    public String included() {
        return Formats.count(includedAnomalies);
    }

    public long percent() {
        return Formats.percent(usedAnomalies, includedAnomalies, fallbackPercent);
    }

    public String periodEndDate() {
        return Formats.date(periodEnd);
    }
}
