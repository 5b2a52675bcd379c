package dev.driftlock.events;

import java.util.Objects;

/**
 * An invoice was paid.
 *
 * @param invoiceId       Stripe invoice id
 * @param amountPaidCents amount paid, integer cents
 * @param currency        ISO currency, lower case
 */
public record InvoicePaid(String invoiceId, long amountPaidCents, String currency) implements BillingEvent {

    public InvoicePaid {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(currency, "currency");
    }
}
