package dev.driftlock.gateway.quota;

import dev.driftlock.events.QuotaEvent;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Metering's compacted quota-state topic into the enforcement table; malformed records are dead-lettered. */
@ApplicationScoped
class QuotaStateConsumer {

    private final QuotaService quotas;
    private final EventDispatcher dispatcher;

    QuotaStateConsumer(QuotaService quotas, EventDispatcher dispatcher) {
        this.quotas = quotas;
        this.dispatcher = dispatcher;
    }

    @Incoming("quota-state")
    Uni<Void> consume(String value) {
        return dispatcher.dispatch(value, Topics.QUOTA_STATE, QuotaEvent.class, (envelope, event) -> switch (event) {
            case QuotaStateChanged changed -> quotas.apply(envelope.orgId(), envelope.occurredAt(), changed);
        });
    }
}
