package dev.driftlock.billing.invoice;

import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.inbox.SessionProcessedEvents;
import dev.driftlock.billing.stripe.StripeGateway;
import dev.driftlock.billing.subscription.CustomerService;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.InvoiceThresholdReached;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Metering says the period's overage passed another multiple of the invoice threshold: invoice the
 * overage not invoiced yet in Stripe at once. One invoice per (org, period, step): our
 * {@code mid_cycle_invoice} row answers redeliveries, and the Stripe calls carry idempotency keys
 * from org, period and step, so a retry after a crash between Stripe and our commit gets the same
 * invoice. The amount is metering's overage estimate so far minus what mid-cycle invoices of the
 * period already billed; the rest is billed when metering closes the period ({@link PeriodEndInvoicing}).
 * A step of a period already settled at its end invoices nothing.
 */
@ApplicationScoped
class MidCycleInvoicing {

    static final String CONSUMER = "mid-cycle-invoicing";
    static final String KIND = "mid_cycle";

    private final SessionProcessedEvents processed;
    private final CustomerService customers;
    private final StripeGateway stripe;
    private final InvoiceService invoices;
    private final AuditLog audit;

    MidCycleInvoicing(SessionProcessedEvents processed, CustomerService customers, StripeGateway stripe, InvoiceService invoices, AuditLog audit) {
        this.processed = processed;
        this.customers = customers;
        this.stripe = stripe;
        this.invoices = invoices;
        this.audit = audit;
    }

    /** The idempotency key prefix of the step's Stripe calls. */
    static String keyOf(String orgId, InvoiceThresholdReached reached) {
        return "mid-cycle:" + orgId + ":" + reached.periodStart().getEpochSecond() + ":" + reached.step();
    }

    Uni<Void> onThresholdReached(Envelope<DriftlockEvent> envelope, InvoiceThresholdReached reached) {
        String orgId = envelope.orgId();
        OffsetDateTime periodStart = OffsetDateTime.ofInstant(reached.periodStart(), ZoneOffset.UTC);
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        SELECT count(*) FILTER (WHERE step = :step)
                                 + (SELECT count(*) FROM period_end_invoice p WHERE p.org_id = :org AND p.period_start = :start),
                               coalesce(sum(amount_cents), 0)
                        FROM mid_cycle_invoice WHERE org_id = :org AND period_start = :start""", Object[].class)
                .setParameter("step", reached.step())
                .setParameter("org", orgId)
                .setParameter("start", periodStart)
                .getSingleResult()))
                .flatMap(row -> {
                    boolean invoiced = ((Number) row[0]).longValue() > 0;
                    long amount = reached.overageCents() - ((Number) row[1]).longValue();
                    if (invoiced || amount <= 0) {
                        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)).replaceWithVoid();
                    }
                    return invoice(envelope, reached, amount, periodStart);
                });
    }

    private Uni<Void> invoice(Envelope<DriftlockEvent> envelope, InvoiceThresholdReached reached, long amount, OffsetDateTime periodStart) {
        String orgId = envelope.orgId();
        String description = "DriftLock overage " + reached.overageAnomalies() + " anomalies so far, period from "
                + reached.periodStart() + " (threshold step " + reached.step() + ")";
        Map<String, String> metadata = Map.of("org_id", orgId, "kind", KIND, "period_start", reached.periodStart().toString(),
                "step", Integer.toString(reached.step()));
        String actor = "kafka:" + envelope.eventId();
        return customers.ensureStripeCustomer(orgId)
                .flatMap(customerId -> stripe.invoiceNow(customerId, amount, reached.currency(), description, metadata, keyOf(orgId, reached)))
                .flatMap(invoice -> Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)
                        .flatMap(ignored -> Panache.getSession()).flatMap(session -> session.createNativeQuery("""
                                        INSERT INTO mid_cycle_invoice (org_id, period_start, step, stripe_invoice_id, overage_cents, amount_cents, created_at)
                                        VALUES (:org, :start, :step, :invoice, :overage, :amount, now()) ON CONFLICT DO NOTHING""")
                                .setParameter("org", orgId)
                                .setParameter("start", periodStart)
                                .setParameter("step", reached.step())
                                .setParameter("invoice", invoice.getId())
                                .setParameter("overage", reached.overageCents())
                                .setParameter("amount", amount)
                                .executeUpdate())
                        .flatMap(inserted -> inserted == 0 ? Uni.createFrom().voidItem()
                                : invoices.raised(orgId, invoice, KIND, reached.periodStart(), reached.periodEnd(), actor)
                                        .flatMap(ignored -> audit.record(orgId, "invoice.mid_cycle", "overage " + reached.overageCents()
                                                        + " cents so far, invoiced " + amount + " " + reached.currency(),
                                                "invoice threshold step " + reached.step(), invoice.getId(), actor)))));
    }
}
