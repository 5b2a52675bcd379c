package dev.driftlock.gateway.quota;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.QuotaEvent;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Metering's compacted quota-state topic into the enforcement table; malformed records are dead-lettered. */
@ApplicationScoped
class QuotaStateConsumer {

    private static final Logger LOG = Logger.getLogger(QuotaStateConsumer.class);

    private final QuotaService quotas;
    private final GatewayConfig config;

    QuotaStateConsumer(QuotaService quotas, GatewayConfig config) {
        this.quotas = quotas;
        this.config = config;
    }

    @Incoming("quota-state")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof QuotaEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the quota-state topic");
        }
        Uni<Void> effect = switch (event) {
            case QuotaStateChanged changed -> quotas.apply(envelope.orgId(), envelope.occurredAt(), changed);
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
