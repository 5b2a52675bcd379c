package dev.driftlock.gateway.org;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoicePaid;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Billing's topic: {@code billing.subscription_changed} sets the org's plan, which selects its
 * rate limits. Idempotent by revision: a repeated or older revision changes nothing. Other billing
 * events are not the gateway's business; malformed records are dead-lettered.
 */
@ApplicationScoped
class SubscriptionConsumer {

    private static final Logger LOG = Logger.getLogger(SubscriptionConsumer.class);

    private final OrgService orgs;
    private final GatewayConfig config;

    SubscriptionConsumer(OrgService orgs, GatewayConfig config) {
        this.orgs = orgs;
        this.config = config;
    }

    @Incoming("billing")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof BillingEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the billing topic");
        }
        Uni<Void> effect = switch (event) {
            case SubscriptionChanged changed -> orgs.changePlan(envelope.orgId(), changed.plan(), changed.revision());
            case DunningStateChanged ignored -> Uni.createFrom().voidItem();
            case PaymentFailed ignored -> Uni.createFrom().voidItem();
            case InvoiceCreated ignored -> Uni.createFrom().voidItem();
            case InvoicePaid ignored -> Uni.createFrom().voidItem();
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
