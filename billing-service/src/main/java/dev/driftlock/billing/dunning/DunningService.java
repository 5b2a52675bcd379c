package dev.driftlock.billing.dunning;

import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.outbox.SessionOutbox;
import dev.driftlock.billing.subscription.CustomerEntity;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.Topics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Dunning: {@code ok} -> {@code grace} when a payment fails (ingestion still allowed, for
 * {@code driftlock.billing.grace-period}) -> {@code suspended} when grace ends (ingestion blocked)
 * -> {@code ok} when the failed invoice is paid. Each move publishes one
 * {@code billing.dunning_state_changed} through the outbox and is audited.
 */
@ApplicationScoped
public class DunningService {

    public static final String OK = "ok";
    public static final String GRACE = "grace";
    public static final String SUSPENDED = "suspended";

    private final SessionOutbox outbox;
    private final AuditLog audit;
    private final BillingConfig config;
    private final Clock clock;

    DunningService(SessionOutbox outbox, AuditLog audit, BillingConfig config, Clock clock) {
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** A payment for {@code invoiceId} failed (inside the caller's transaction, customer row locked). */
    public Uni<String> paymentFailed(CustomerEntity customer, String invoiceId, String actor) {
        if (!OK.equals(customer.dunningState)) {
            return Uni.createFrom().item("already-" + customer.dunningState);
        }
        customer.dunningInvoiceId = invoiceId;
        customer.graceEndsAt = clock.instant().plus(config.gracePeriod()).truncatedTo(ChronoUnit.SECONDS);
        return move(customer, GRACE, "payment_failed", invoiceId, actor).replaceWith("grace");
    }

    /** {@code invoiceId} was paid: the dunning it started ends (inside the caller's transaction, customer row locked). */
    public Uni<String> invoicePaid(CustomerEntity customer, String invoiceId, String actor) {
        if (OK.equals(customer.dunningState)) {
            return Uni.createFrom().item("already-ok");
        }
        if (customer.dunningInvoiceId != null && !customer.dunningInvoiceId.equals(invoiceId)) {
            return Uni.createFrom().item("other-invoice");
        }
        customer.dunningInvoiceId = null;
        customer.graceEndsAt = null;
        return move(customer, OK, "invoice_paid", invoiceId, actor).replaceWith("ok");
    }

    /** Suspends every org whose grace has ended by the clock's now; answers how many. */
    public Uni<Integer> suspendExpired() {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> CustomerEntity.<CustomerEntity>find("dunningState = ?1 and graceEndsAt <= ?2", GRACE, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .flatMap(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(customer ->
                                move(customer, SUSPENDED, "grace_ended", customer.dunningInvoiceId, "scheduler").replaceWith(1))
                        .collect().asList()
                        .map(List::size)));
    }

    private Uni<Void> move(CustomerEntity customer, String state, String reason, String invoiceId, String actor) {
        String previous = customer.dunningState;
        customer.dunningState = state;
        customer.revision++;
        Instant graceEndsAt = GRACE.equals(state) ? customer.graceEndsAt : null;
        UUID eventId = UUID.nameUUIDFromBytes(("dunning_state_changed:" + customer.orgId + ":" + customer.revision)
                .getBytes(StandardCharsets.UTF_8));
        DunningStateChanged changed = new DunningStateChanged(state, previous, graceEndsAt, reason, customer.revision);
        return outbox.append(Topics.BILLING, Envelope.of(eventId, customer.orgId, clock.instant(), changed))
                .flatMap(ignored -> audit.record(customer.orgId, "dunning.changed", previous + " -> " + state
                        + (graceEndsAt == null ? "" : " until " + graceEndsAt), reason, invoiceId, actor));
    }
}
