package dev.driftlock.billing.subscription;

import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.outbox.SessionOutbox;
import dev.driftlock.billing.plan.PlanCatalog;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Moves an org's subscription state (all methods run inside the caller's transaction, on a locked
 * customer row) and publishes {@code billing.subscription_changed} through the outbox, with an
 * audit record, whenever plan, status, Stripe subscription or period actually change.
 */
@ApplicationScoped
public class SubscriptionService {

    /** Stripe statuses after which the org is back on the default plan. */
    static final Set<String> ENDED = Set.of("canceled", "incomplete_expired");

    private final PlanCatalog plans;
    private final SessionOutbox outbox;
    private final AuditLog audit;
    private final BillingConfig config;
    private final Clock clock;

    SubscriptionService(PlanCatalog plans, SessionOutbox outbox, AuditLog audit, BillingConfig config, Clock clock) {
        this.plans = plans;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** A new customer starts on the default (free) plan for the current calendar month. */
    Uni<Void> startOnDefaultPlan(CustomerEntity customer, String actor) {
        customer.planId = config.defaultPlan();
        customer.subscriptionStatus = "active";
        customer.dunningState = "ok";
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        customer.periodStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        customer.periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return publish(customer, "new org", null, actor, "none -> " + customer.planId + "/active");
    }

    /**
     * Applies Stripe's subscription object as of the event that carried it ({@code asOf}, Stripe
     * {@code created} seconds); an event older than the applied state is ignored.
     *
     * @return what happened: {@code applied}, {@code unchanged}, {@code stale}, {@code unknown-price},
     *         {@code ended} (an event of a subscription Stripe ended already, e.g. an update of the same second delivered after the deletion)
     */
    public Uni<String> applyStripe(CustomerEntity customer, Subscription subscription, long asOf, String reason, String actor) {
        if (asOf < customer.subscriptionAsOf) {
            return Uni.createFrom().item("stale");
        }
        if (ENDED.contains(subscription.getStatus())) {
            return applyEnded(customer, subscription, asOf, reason, actor);
        }
        if (subscription.getId().equals(customer.endedSubscriptionId)) {
            return Uni.createFrom().item("ended");
        }
        SubscriptionItem item = subscription.getItems().getData().getFirst();
        String planId = plans.planOfPrice(item.getPrice().getId())
                .orElse(subscription.getMetadata() == null ? null : subscription.getMetadata().get("plan"));
        if (planId == null) {
            return audit.record(customer.orgId, "subscription.ignored", "price " + item.getPrice().getId() + " maps to no plan",
                    reason, subscription.getId(), actor).replaceWith("unknown-price");
        }
        customer.subscriptionAsOf = asOf;
        return change(customer, planId, subscription.getStatus(), subscription.getId(),
                Instant.ofEpochSecond(item.getCurrentPeriodStart()), Instant.ofEpochSecond(item.getCurrentPeriodEnd()), reason, actor);
    }

    /** The subscription ended: back to the default plan, unless a newer subscription replaced it already. */
    public Uni<String> applyEnded(CustomerEntity customer, Subscription subscription, long asOf, String reason, String actor) {
        if (asOf < customer.subscriptionAsOf) {
            return Uni.createFrom().item("stale");
        }
        if (customer.stripeSubscriptionId != null && !customer.stripeSubscriptionId.equals(subscription.getId())) {
            return Uni.createFrom().item("not-current");
        }
        customer.subscriptionAsOf = asOf;
        customer.endedSubscriptionId = subscription.getId();
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        return change(customer, config.defaultPlan(), "active", null,
                month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), reason, actor);
    }

    private Uni<String> change(CustomerEntity customer, String planId, String status, String subscriptionId,
            Instant periodStart, Instant periodEnd, String reason, String actor) {
        if (planId.equals(customer.planId) && status.equals(customer.subscriptionStatus)
                && Objects.equals(subscriptionId, customer.stripeSubscriptionId)
                && periodStart.equals(customer.periodStart) && periodEnd.equals(customer.periodEnd)) {
            return Uni.createFrom().item("unchanged");
        }
        String detail = customer.planId + "/" + customer.subscriptionStatus + " -> " + planId + "/" + status
                + " period " + periodStart + ".." + periodEnd;
        String stripeIds = subscriptionId != null ? subscriptionId : customer.stripeSubscriptionId;
        customer.planId = planId;
        customer.subscriptionStatus = status;
        customer.stripeSubscriptionId = subscriptionId;
        customer.periodStart = periodStart;
        customer.periodEnd = periodEnd;
        return publish(customer, reason, stripeIds, actor, detail).replaceWith("applied");
    }

    private Uni<Void> publish(CustomerEntity customer, String reason, String stripeIds, String actor, String detail) {
        customer.revision++;
        long revision = customer.revision;
        return plans.find(customer.planId).flatMap(plan -> {
            SubscriptionChanged changed = new SubscriptionChanged(plan.id, customer.subscriptionStatus, plan.includedAnomalies,
                    plan.overagePriceMicros, plan.currency, customer.periodStart, customer.periodEnd, revision,
                    customer.stripeSubscriptionId);
            UUID eventId = UUID.nameUUIDFromBytes(("subscription_changed:" + customer.orgId + ":" + revision).getBytes(StandardCharsets.UTF_8));
            return outbox.append(Topics.BILLING, Envelope.of(eventId, customer.orgId, clock.instant(), changed))
                    .flatMap(ignored -> audit.record(customer.orgId, "subscription.changed", detail, reason, stripeIds, actor));
        });
    }
}
