package dev.driftlock.notification.email;

import java.time.Instant;

/** Ingestion is blocked because usage reached the org's cap; the block lifts at period end. */
public record CapReachedNotice(long usedAnomalies, long includedAnomalies, int capPercent, String policy, Instant periodEnd)
        implements Notice {

    @Override
    public Kind kind() {
        return Kind.CAP_REACHED;
    }

    /** One e-mail per blocked period, however often the compacted topic replays the state. */
    @Override
    public String factKey() {
        return "cap_reached/" + periodEnd;
    }

    @Override
    public String subject(String orgName) {
        return orgName + ": anomaly detection is paused, usage cap reached";
    }

    @Override
    public String link(String dashboardUrl) {
        return dashboardUrl + "/billing/plan";
    }

    /** Used, included, percent and period end, formatted. */
    public UsageFigures figures() {
        return new UsageFigures(usedAnomalies, includedAnomalies, capPercent, periodEnd);
    }
}
