package dev.driftlock.notification.email;

import java.time.Instant;

/** A payment attempt for an invoice failed. */
public record PaymentFailedNotice(String invoiceId, long amountDueCents, String currency, int attemptCount, Instant nextAttemptAt,
                                  String hostedInvoiceUrl) implements Notice {

    @Override
    public Kind kind() {
        return Kind.PAYMENT_FAILED;
    }

    @Override
    public String factKey() {
        return "payment_failed/" + invoiceId + "/" + attemptCount;
    }

    @Override
    public String subject(String orgName) {
        return orgName + ": payment of " + amount() + " failed";
    }

    @Override
    public String link(String dashboardUrl) {
        return hostedInvoiceUrl != null ? hostedInvoiceUrl : dashboardUrl + "/billing";
    }

    public String amount() {
        return Formats.money(amountDueCents, currency);
    }

    public boolean retried() {
        return nextAttemptAt != null;
    }

    public String nextAttempt() {
        return Formats.dateTime(nextAttemptAt);
    }
}
