package dev.driftlock.gateway.org;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoicePaid;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Billing's topic: {@code billing.subscription_changed} sets the org's plan, which selects its
 * rate limits. Idempotent by revision: a repeated or older revision changes nothing. Other billing
 * events are not the gateway's business; malformed records are dead-lettered.
 */
@ApplicationScoped
class SubscriptionConsumer {

    private final OrgService orgs;
    private final EventDispatcher dispatcher;

    SubscriptionConsumer(OrgService orgs, EventDispatcher dispatcher) {
        this.orgs = orgs;
        this.dispatcher = dispatcher;
    }

    @Incoming("billing")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.BILLING, BillingEvent.class, (envelope, event) -> switch (event) {
            case SubscriptionChanged changed -> orgs.changePlan(envelope.orgId(), changed.plan(), changed.revision());
            case DunningStateChanged ignored -> Uni.createFrom().voidItem();
            case PaymentFailed ignored -> Uni.createFrom().voidItem();
            case InvoiceCreated ignored -> Uni.createFrom().voidItem();
            case InvoicePaid ignored -> Uni.createFrom().voidItem();
        });
    }
}
