package dev.driftlock.billing.invoice;

import com.stripe.model.Invoice;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.inbox.SessionProcessedEvents;
import dev.driftlock.billing.stripe.StripeGateway;
import dev.driftlock.billing.subscription.CustomerService;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.PeriodClosed;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Metering closed a period with its final overage: invoice at once, as a one-off Stripe invoice, the
 * part mid-cycle invoices of the period did not bill (never negative; nothing when zero). One
 * settlement per (org, period): the {@code period_end_invoice} row answers redeliveries with any event
 * id (and stops later mid-cycle steps of the period), and the Stripe calls carry idempotency keys
 * {@code period-end:<org>:<period start>}, so a retry after a crash between Stripe and our commit
 * gets the same invoice. See ADR 0201.
 */
@ApplicationScoped
class PeriodEndInvoicing {

    static final String CONSUMER = "period-end-invoicing";
    static final String KIND = "period_end";

    private final SessionProcessedEvents processed;
    private final CustomerService customers;
    private final StripeGateway stripe;
    private final InvoiceService invoices;
    private final AuditLog audit;

    PeriodEndInvoicing(SessionProcessedEvents processed, CustomerService customers, StripeGateway stripe, InvoiceService invoices, AuditLog audit) {
        this.processed = processed;
        this.customers = customers;
        this.stripe = stripe;
        this.invoices = invoices;
        this.audit = audit;
    }

    /** The idempotency key prefix of the period's Stripe calls. */
    static String keyOf(String orgId, PeriodClosed closed) {
        return "period-end:" + orgId + ":" + closed.periodStart().getEpochSecond();
    }

    Uni<Void> onPeriodClosed(Envelope<DriftlockEvent> envelope, PeriodClosed closed) {
        String orgId = envelope.orgId();
        OffsetDateTime periodStart = OffsetDateTime.ofInstant(closed.periodStart(), ZoneOffset.UTC);
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        SELECT (SELECT count(*) FROM period_end_invoice WHERE org_id = :org AND period_start = :start),
                               (SELECT coalesce(sum(amount_cents), 0) FROM mid_cycle_invoice WHERE org_id = :org AND period_start = :start)""",
                        Object[].class)
                .setParameter("org", orgId)
                .setParameter("start", periodStart)
                .getSingleResult()))
                .flatMap(row -> {
                    boolean settled = ((Number) row[0]).longValue() > 0;
                    long midCycle = ((Number) row[1]).longValue();
                    long amount = Math.max(0, closed.overageCents() - midCycle);
                    if (settled) {
                        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)).replaceWithVoid();
                    }
                    if (amount == 0) {
                        return record(envelope, closed, midCycle, 0, null);
                    }
                    return invoice(envelope, closed, midCycle, amount);
                });
    }

    private Uni<Void> invoice(Envelope<DriftlockEvent> envelope, PeriodClosed closed, long midCycle, long amount) {
        String orgId = envelope.orgId();
        String description = "DriftLock overage " + closed.overageAnomalies() + " anomalies, period " + closed.periodStart() + " to "
                + closed.periodEnd() + (midCycle > 0 ? " (less " + midCycle + " cents invoiced mid-cycle)" : "");
        Map<String, String> metadata = Map.of("org_id", orgId, "kind", KIND, "period_start", closed.periodStart().toString(),
                "period_end", closed.periodEnd().toString());
        return customers.ensureStripeCustomer(orgId)
                .flatMap(customerId -> stripe.invoiceNow(customerId, amount, closed.currency(), description, metadata, keyOf(orgId, closed)))
                .flatMap(invoice -> record(envelope, closed, midCycle, amount, invoice));
    }

    /** Records the period's settlement once, with the invoice when there is one, and mirrors and announces that invoice. */
    private Uni<Void> record(Envelope<DriftlockEvent> envelope, PeriodClosed closed, long midCycle, long amount,
            Invoice invoice) {
        String orgId = envelope.orgId();
        String actor = "kafka:" + envelope.eventId();
        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)
                .flatMap(ignored -> Panache.getSession()).flatMap(session -> session.createNativeQuery("""
                                INSERT INTO period_end_invoice (org_id, period_start, period_end, final_overage_cents, mid_cycle_cents,
                                                                amount_cents, stripe_invoice_id, created_at)
                                VALUES (:org, :start, :end, :overage, :midCycle, :amount, :invoice, now()) ON CONFLICT DO NOTHING""")
                        .setParameter("org", orgId)
                        .setParameter("start", OffsetDateTime.ofInstant(closed.periodStart(), ZoneOffset.UTC))
                        .setParameter("end", OffsetDateTime.ofInstant(closed.periodEnd(), ZoneOffset.UTC))
                        .setParameter("overage", closed.overageCents())
                        .setParameter("midCycle", midCycle)
                        .setParameter("amount", amount)
                        .setParameter("invoice", invoice == null ? null : invoice.getId())
                        .executeUpdate())
                .flatMap(inserted -> inserted == 0 || invoice == null ? Uni.createFrom().voidItem()
                        : invoices.raised(orgId, invoice, KIND, closed.periodStart(), closed.periodEnd(), actor)
                                .flatMap(ignored -> audit.record(orgId, "invoice.period_end", "final overage " + closed.overageCents()
                                                + " cents, " + midCycle + " invoiced mid-cycle, invoiced " + amount + " " + closed.currency(),
                                        "period closed", invoice.getId(), actor))));
    }
}
