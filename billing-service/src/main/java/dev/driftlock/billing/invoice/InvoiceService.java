package dev.driftlock.billing.invoice;

import com.stripe.model.Invoice;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.outbox.SessionOutbox;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoicePaid;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The invoice mirror and the invoice facts published from it. All methods run inside the caller's
 * transaction. A status never moves back (a late {@code invoice.finalized} after {@code invoice.paid}
 * keeps {@code paid}); facts use deterministic event ids (per invoice, or per Stripe event), so
 * replays publish nothing twice.
 */
@ApplicationScoped
public class InvoiceService {

    static final Map<String, Integer> STATUS_RANK = Map.of("draft", 0, "open", 1, "paid", 2, "void", 2, "uncollectible", 2);

    private final SessionOutbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    InvoiceService(SessionOutbox outbox, AuditLog audit, Clock clock) {
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** Stripe finalized an invoice: mirror it and publish {@code billing.invoice_created} (and its audit row) once per invoice. */
    public Uni<String> finalized(String orgId, Invoice invoice, String actor) {
        return mirror(orgId, invoice, null).flatMap(mirrored -> announceCreated(mirrored, actor)).replaceWith("mirrored");
    }

    /** Stripe collected an invoice: mirror it and publish {@code billing.invoice_paid} (and its audit row) once per invoice. */
    public Uni<String> paid(String orgId, Invoice invoice, String actor) {
        return mirror(orgId, invoice, null).flatMap(mirrored -> {
            UUID eventId = id("invoice_paid:" + invoice.getId());
            InvoicePaid paid = new InvoicePaid(invoice.getId(), orZero(invoice.getAmountPaid()), invoice.getCurrency());
            return outbox.appendNew(Topics.BILLING, Envelope.of(eventId, orgId, clock.instant(), paid))
                    .flatMap(first -> !first ? Uni.createFrom().voidItem()
                            : audit.record(orgId, "invoice.paid", "paid " + paid.amountPaidCents() + " " + paid.currency(),
                                    "invoice.paid", invoice.getId(), actor));
        }).replaceWith("mirrored");
    }

    /**
     * A payment attempt failed: mirror the invoice and publish {@code billing.payment_failed} once
     * per Stripe event. Answers false when the invoice is paid already (a late, out-of-order failure).
     */
    public Uni<Boolean> paymentFailed(String orgId, Invoice invoice, String stripeEventId, String actor) {
        return mirror(orgId, invoice, null).flatMap(mirrored -> {
            if ("paid".equals(mirrored.status)) {
                return Uni.createFrom().item(false);
            }
            Instant next = invoice.getNextPaymentAttempt() == null ? null : Instant.ofEpochSecond(invoice.getNextPaymentAttempt());
            PaymentFailed failed = new PaymentFailed(invoice.getId(), orZero(invoice.getAmountDue()), invoice.getCurrency(),
                    (int) orZero(invoice.getAttemptCount()), next, invoice.getHostedInvoiceUrl());
            return outbox.append(Topics.BILLING, Envelope.of(id("payment_failed:" + stripeEventId), orgId, clock.instant(), failed))
                    .flatMap(ignored -> audit.record(orgId, "invoice.payment_failed", "attempt " + failed.attemptCount() + " failed",
                            "invoice.payment_failed", invoice.getId() + "," + stripeEventId, actor))
                    .replaceWith(true);
        });
    }

    /** Mirrors an invoice we raised ourselves (a mid-cycle overage invoice) and announces it. */
    Uni<Void> raised(String orgId, Invoice invoice, String kind, Instant periodStart, Instant periodEnd, String actor) {
        return mirror(orgId, invoice, kind).flatMap(mirrored -> {
            mirrored.periodStart = periodStart;
            mirrored.periodEnd = periodEnd;
            return announceCreated(mirrored, actor);
        });
    }

    private Uni<Void> announceCreated(InvoiceEntity invoice, String actor) {
        InvoiceCreated created = new InvoiceCreated(invoice.stripeInvoiceId, invoice.kind, invoice.amountDueCents, invoice.currency,
                invoice.hostedInvoiceUrl, invoice.invoicePdfUrl, invoice.periodStart, invoice.periodEnd);
        return outbox.appendNew(Topics.BILLING, Envelope.of(id("invoice_created:" + invoice.stripeInvoiceId), invoice.orgId, clock.instant(), created))
                .flatMap(first -> !first ? Uni.createFrom().voidItem() // announced already (our own invoice, then Stripe's invoice.finalized)
                        : audit.record(invoice.orgId, "invoice.created", invoice.kind + " " + invoice.amountDueCents + " "
                                + invoice.currency, "invoice finalized", invoice.stripeInvoiceId, actor));
    }

    private Uni<InvoiceEntity> mirror(String orgId, Invoice invoice, String kind) {
        return InvoiceEntity.<InvoiceEntity>findById(invoice.getId()).flatMap(existing -> {
            InvoiceEntity mirrored = existing != null ? existing : new InvoiceEntity();
            if (existing == null) {
                mirrored.stripeInvoiceId = invoice.getId();
                mirrored.orgId = orgId;
                mirrored.kind = kind != null ? kind : kindOf(invoice);
                mirrored.status = invoice.getStatus();
                mirrored.createdAt = invoice.getCreated() == null ? clock.instant() : Instant.ofEpochSecond(invoice.getCreated());
                mirrored.periodStart = invoice.getPeriodStart() == null ? null : Instant.ofEpochSecond(invoice.getPeriodStart());
                mirrored.periodEnd = invoice.getPeriodEnd() == null ? null : Instant.ofEpochSecond(invoice.getPeriodEnd());
            }
            if (rank(invoice.getStatus()) >= rank(mirrored.status)) {
                mirrored.status = invoice.getStatus();
                mirrored.amountDueCents = orZero(invoice.getAmountDue());
                mirrored.amountPaidCents = orZero(invoice.getAmountPaid());
            }
            mirrored.currency = invoice.getCurrency();
            if (invoice.getHostedInvoiceUrl() != null) {
                mirrored.hostedInvoiceUrl = invoice.getHostedInvoiceUrl();
            }
            if (invoice.getInvoicePdf() != null) {
                mirrored.invoicePdfUrl = invoice.getInvoicePdf();
            }
            return existing != null ? Uni.createFrom().item(mirrored) : mirrored.<InvoiceEntity>persist();
        });
    }

    /** Our kind: metadata {@code kind} when we raised it, else {@code period_end} for renewals, else {@code subscription}. */
    static String kindOf(Invoice invoice) {
        if (invoice.getMetadata() != null && invoice.getMetadata().get("kind") != null) {
            return invoice.getMetadata().get("kind");
        }
        return "subscription_cycle".equals(invoice.getBillingReason()) ? "period_end" : "subscription";
    }

    private static int rank(String status) {
        return STATUS_RANK.getOrDefault(status, 1);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
