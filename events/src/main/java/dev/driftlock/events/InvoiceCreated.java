package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An invoice was created (finalized) for the org.
 *
 * @param invoiceId        Stripe invoice id
 * @param kind             {@code subscription}, {@code mid_cycle} or {@code period_end}
 * @param amountCents      total, integer cents
 * @param currency         ISO currency, lower case
 * @param hostedInvoiceUrl hosted invoice page
 * @param invoicePdfUrl    PDF link
 * @param periodStart      billed period start
 * @param periodEnd        billed period end
 */
public record InvoiceCreated(
        String invoiceId, String kind, long amountCents, String currency, String hostedInvoiceUrl, String invoicePdfUrl,
        Instant periodStart, Instant periodEnd) implements BillingEvent {

    public InvoiceCreated {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(currency, "currency");
    }
}
