package dev.driftlock.billing.invoice;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Our mirror of one Stripe invoice. */
@Entity
@Table(name = "invoice")
class InvoiceEntity extends PanacheEntityBase {

    @Id
    @Column(name = "stripe_invoice_id")
    String stripeInvoiceId;

    @Column(name = "org_id", nullable = false)
    String orgId;

    /** {@code subscription}, {@code mid_cycle} or {@code period_end}. */
    @Column(nullable = false)
    String kind;

    /** Stripe's status: {@code draft}, {@code open}, {@code paid}, {@code void}, {@code uncollectible}. */
    @Column(nullable = false)
    String status;

    @Column(name = "amount_due_cents", nullable = false)
    long amountDueCents;

    @Column(name = "amount_paid_cents", nullable = false)
    long amountPaidCents;

    @Column(nullable = false)
    String currency;

    @Column(name = "hosted_invoice_url")
    String hostedInvoiceUrl;

    @Column(name = "invoice_pdf_url")
    String invoicePdfUrl;

    @Column(name = "period_start")
    Instant periodStart;

    @Column(name = "period_end")
    Instant periodEnd;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
