package dev.driftlock.notification.email;

/** A new org signed up. */
public record WelcomeNotice() implements Notice {

    @Override
    public Kind kind() {
        return Kind.WELCOME;
    }

    @Override
    public String factKey() {
        return "welcome";
    }

    @Override
    public String subject(String orgName) {
        return "Welcome to DriftLock, " + orgName;
    }

    @Override
    public String link(String dashboardUrl) {
        return dashboardUrl + "/getting-started";
    }
}
