package dev.driftlock.metering.account;

/**
 * What happens when an org uses more than its included anomalies.
 *
 * @param policy                {@link #ALLOW} (overage billed, never blocked), {@link #SOFT_CAP} (blocked at
 *                              {@code capPercent}) or {@link #HARD_CAP} (blocked at 100%)
 * @param capPercent            the soft cap, percent of the included anomalies
 * @param invoiceThresholdCents estimated overage that raises a mid-period invoice, and each multiple of it
 * @param custom                true when the org set it, false for the plan's default
 */
public record QuotaPolicy(String policy, int capPercent, long invoiceThresholdCents, boolean custom) {

    public static final String ALLOW = "allow";
    public static final String SOFT_CAP = "soft_cap";
    public static final String HARD_CAP = "hard_cap";

    /** The percent at which usage blocks ingestion: 100 for hard_cap, the cap for soft_cap, 0 (never) for allow. */
    public int blockingPercent() {
        return switch (policy) {
            case HARD_CAP -> 100;
            case SOFT_CAP -> capPercent;
            default -> 0;
        };
    }
}
