package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A payment attempt for an invoice failed.
 *
 * @param invoiceId        Stripe invoice id
 * @param amountDueCents   amount due, integer cents
 * @param currency         ISO currency, lower case
 * @param attemptCount     how many attempts so far
 * @param nextAttemptAt    when Stripe retries, null if it will not
 * @param hostedInvoiceUrl where the customer can pay
 */
public record PaymentFailed(
        String invoiceId, long amountDueCents, String currency, int attemptCount, Instant nextAttemptAt, String hostedInvoiceUrl)
        implements BillingEvent {

    public PaymentFailed {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(currency, "currency");
    }
}
