package dev.driftlock.metering.usage;

import dev.driftlock.events.BillingEvent;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoicePaid;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Projects billing's subscription and dunning events (latest revision wins, so out-of-order
 * delivery is safe); other billing event types are skipped. Invalid values are dead-lettered.
 */
@ApplicationScoped
class BillingConsumer {

    private static final Set<String> DUNNING_STATES = Set.of("ok", "grace", "suspended");

    private final UsageService usage;
    private final EventDispatcher dispatcher;

    BillingConsumer(UsageService usage, EventDispatcher dispatcher) {
        this.usage = usage;
        this.dispatcher = dispatcher;
    }

    @Incoming("billing")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.BILLING, BillingEvent.class, (envelope, event) -> switch (event) {
            case SubscriptionChanged changed -> usage.applySubscription(envelope.eventId(), envelope.orgId(), valid(changed));
            case DunningStateChanged changed -> usage.applyDunning(envelope.eventId(), envelope.orgId(), valid(changed));
            case PaymentFailed ignored -> Uni.createFrom().voidItem();
            case InvoiceCreated ignored -> Uni.createFrom().voidItem();
            case InvoicePaid ignored -> Uni.createFrom().voidItem();
        });
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
