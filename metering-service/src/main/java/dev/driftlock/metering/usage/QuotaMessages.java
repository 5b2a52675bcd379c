package dev.driftlock.metering.usage;

import dev.driftlock.metering.account.PublishedQuota;

/** The human-readable explanation of a quota state, with how to fix it. */
final class QuotaMessages {

    private QuotaMessages() {
    }

    static String of(PublishedQuota quota, long used) {
        return switch (quota.reason()) {
            case "payment_suspended" -> "Ingestion is suspended because a payment failed. Update the payment method in billing to resume.";
            case "cap_reached" -> "Anomaly quota reached: " + used + " of " + quota.includedAnomalies() + " included anomalies used (cap "
                    + quota.capPercent() + "%). Ingestion resumes when the period ends at " + quota.periodEnd()
                    + "; upgrade the plan or change the quota policy to continue now.";
            case "usage_warning" -> used + " of " + quota.includedAnomalies() + " included anomalies used this period"
                    + (quota.policy().equals("allow") ? "; anomalies beyond the included ones are billed as overage." : ".");
            default -> "Usage is within the plan.";
        };
    }
}
