package dev.driftlock.notification.email;

/**
 * What an e-mail is about. Only {@link #USAGE_THRESHOLD} e-mails can be turned off by the org; the
 * others concern payment, service interruption or the account and are always sent.
 */
public enum Kind {
    USAGE_THRESHOLD("usage_threshold", true),
    CAP_REACHED("cap_reached", false),
    PAYMENT_FAILED("payment_failed", false),
    DUNNING("dunning", false),
    MID_CYCLE_INVOICE("mid_cycle_invoice", false),
    WELCOME("welcome", false);

    private final String wireName;
    private final boolean optional;

    Kind(String wireName, boolean optional) {
        this.wireName = wireName;
        this.optional = optional;
    }

    /** The name in the notification log and the API. */
    public String wireName() {
        return wireName;
    }

    /** Whether the org's {@code usageEmails} preference can suppress it. */
    public boolean optional() {
        return optional;
    }
}
