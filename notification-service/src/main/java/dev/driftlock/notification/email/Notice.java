package dev.driftlock.notification.email;

/**
 * What one event tells an org's billing contacts; each kind renders from its own templates.
 * Records expose the numbers formatted the way the templates print them.
 */
public sealed interface Notice
        permits UsageNotice, CapReachedNotice, PaymentFailedNotice, DunningNotice, InvoiceNotice, WelcomeNotice {

    Kind kind();

    /**
     * The fact the e-mail reports, unique within the org: a second event reporting the same fact
     * (e.g. the compacted quota topic replaying a block) sends nothing.
     */
    String factKey();

    String subject(String orgName);

    /** Where the e-mail's call to action points. */
    String link(String dashboardUrl);
}
