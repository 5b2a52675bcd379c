package dev.driftlock.billing.invoice;

import java.time.Instant;

/** An invoice as {@code GET /v1/invoices} shows it. */
record InvoiceView(String id, String kind, String status, long amountDueCents, long amountPaidCents, String currency,
        String hostedInvoiceUrl, String invoicePdfUrl, Instant periodStart, Instant periodEnd, Instant createdAt) {

    static InvoiceView of(InvoiceEntity invoice) {
        return new InvoiceView(invoice.stripeInvoiceId, invoice.kind, invoice.status, invoice.amountDueCents, invoice.amountPaidCents,
                invoice.currency, invoice.hostedInvoiceUrl, invoice.invoicePdfUrl, invoice.periodStart, invoice.periodEnd, invoice.createdAt);
    }
}
