package dev.driftlock.notification.email;

import java.time.Instant;

/** The org's dunning state moved to {@code grace}, {@code suspended} or back to {@code ok}. */
public record DunningNotice(String state, String previousState, Instant graceEndsAt, String reason, long revision) implements Notice {

    @Override
    public Kind kind() {
        return Kind.DUNNING;
    }

    @Override
    public String factKey() {
        return "dunning/" + revision;
    }

    @Override
    public String subject(String orgName) {
        return switch (state) {
            case "grace" -> orgName + ": payment overdue, please update your payment method";
            case "suspended" -> orgName + ": anomaly detection is suspended for non-payment";
            default -> orgName + ": payment received, anomaly detection is active again";
        };
    }

    @Override
    public String link(String dashboardUrl) {
        return dashboardUrl + "/billing";
    }

    public boolean grace() {
        return "grace".equals(state);
    }

    public boolean suspended() {
        return "suspended".equals(state);
    }

    public String graceEnds() {
        return Formats.dateTime(graceEndsAt);
    }
}
