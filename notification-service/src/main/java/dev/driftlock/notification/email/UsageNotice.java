package dev.driftlock.notification.email;

import java.time.Instant;

/** Usage crossed 70, 90 or 100% of the anomalies included in the plan. */
public record UsageNotice(int thresholdPercent, long usedAnomalies, long includedAnomalies, String plan, Instant periodStart,
                          Instant periodEnd) implements Notice {

    @Override
    public Kind kind() {
        return Kind.USAGE_THRESHOLD;
    }

    @Override
    public String factKey() {
        return "usage_threshold/" + periodStart + "/" + thresholdPercent;
    }

    @Override
    public String subject(String orgName) {
        return orgName + " has used " + thresholdPercent + "% of its included anomalies";
    }

    @Override
    public String link(String dashboardUrl) {
        return dashboardUrl + "/billing/plan";
    }

    /** Used, included, percent and period end, formatted. */
    public UsageFigures figures() {
        return new UsageFigures(usedAnomalies, includedAnomalies, thresholdPercent, periodEnd);
    }

    public boolean full() {
        return thresholdPercent >= 100;
    }
}
