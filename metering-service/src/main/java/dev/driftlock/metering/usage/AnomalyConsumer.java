package dev.driftlock.metering.usage;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.AnomalyEvent;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.metering.MeteringConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Counts anomaly-detected events, once each. Malformed records go to the dead-letter topic with
 * the reason; unknown event types (newer producers) are skipped; other failures are retried.
 */
@ApplicationScoped
class AnomalyConsumer {

    private static final Logger LOG = Logger.getLogger(AnomalyConsumer.class);

    private final UsageService usage;
    private final MeteringConfig config;

    AnomalyConsumer(UsageService usage, MeteringConfig config) {
        this.usage = usage;
        this.config = config;
    }

    @Incoming("anomalies")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof AnomalyEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the anomalies topic");
        }
        Uni<Void> effect = switch (event) {
            case AnomalyDetected detected -> usage.countAnomaly(envelope.eventId(), envelope.orgId(), detected);
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .atMost(config.processingRetries());
    }
}
