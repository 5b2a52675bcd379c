package dev.driftlock.metering.usage;

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
import dev.driftlock.metering.MeteringConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Projects billing's subscription and dunning events (latest revision wins, so out-of-order
 * delivery is safe); other billing event types are skipped. Invalid values are dead-lettered.
 */
@ApplicationScoped
class BillingConsumer {

    private static final Logger LOG = Logger.getLogger(BillingConsumer.class);
    private static final Set<String> DUNNING_STATES = Set.of("ok", "grace", "suspended");

    private final UsageService usage;
    private final MeteringConfig config;

    BillingConsumer(UsageService usage, MeteringConfig config) {
        this.usage = usage;
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
            case SubscriptionChanged changed -> usage.applySubscription(envelope.eventId(), envelope.orgId(), valid(changed));
            case DunningStateChanged changed -> usage.applyDunning(envelope.eventId(), envelope.orgId(), valid(changed));
            case PaymentFailed ignored -> Uni.createFrom().voidItem();
            case InvoiceCreated ignored -> Uni.createFrom().voidItem();
            case InvoicePaid ignored -> Uni.createFrom().voidItem();
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .atMost(config.processingRetries());
    }

    private static SubscriptionChanged valid(SubscriptionChanged changed) {
        if (changed.includedAnomalies() < 0 || changed.overagePriceMicros() < 0) {
            throw new MalformedEventException("includedAnomalies and overagePriceMicros must not be negative");
        }
        if (!changed.periodEnd().isAfter(changed.periodStart())) {
            throw new MalformedEventException("periodEnd must be after periodStart");
        }
        return changed;
    }

    private static DunningStateChanged valid(DunningStateChanged changed) {
        if (!DUNNING_STATES.contains(changed.state())) {
            throw new MalformedEventException("unknown dunning state '" + changed.state() + "'");
        }
        return changed;
    }
}
