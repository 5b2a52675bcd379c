package dev.driftlock.notification.email;

import java.time.Instant;

/** A mid-cycle invoice (usage billed before period end) was created. */
public record InvoiceNotice(String invoiceId, long amountCents, String currency, String hostedInvoiceUrl, String invoicePdfUrl,
                            Instant periodStart, Instant periodEnd) implements Notice {

    @Override
    public Kind kind() {
        return Kind.MID_CYCLE_INVOICE;
    }

    @Override
    public String factKey() {
        return "mid_cycle_invoice/" + invoiceId;
    }

    @Override
    public String subject(String orgName) {
        return orgName + ": new invoice for " + amount();
    }

    @Override
    public String link(String dashboardUrl) {
        return hostedInvoiceUrl != null ? hostedInvoiceUrl : dashboardUrl + "/billing/invoices";
    }

    public String amount() {
        return Formats.money(amountCents, currency);
    }

    public String periodStartDate() {
        return Formats.date(periodStart);
    }

    public String periodEndDate() {
        return Formats.date(periodEnd);
    }
}
