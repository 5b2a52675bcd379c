package dev.driftlock.metering.usage;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.IngestionEvent;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.metering.MeteringConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Adds ingested-event counts to the daily history (charts only; never billed), once per event. */
@ApplicationScoped
class IngestionConsumer {

    private static final Logger LOG = Logger.getLogger(IngestionConsumer.class);

    private final UsageService usage;
    private final MeteringConfig config;

    IngestionConsumer(UsageService usage, MeteringConfig config) {
        this.usage = usage;
        this.config = config;
    }

    @Incoming("ingestion")
    Uni<Void> consume(String value) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof IngestionEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the ingestion topic");
        }
        Uni<Void> effect = switch (event) {
            case EventsIngested ingested -> {
                if (ingested.accepted() < 0) {
                    throw new MalformedEventException("accepted must not be negative");
                }
                yield usage.countIngested(envelope.eventId(), envelope.orgId(), ingested);
            }
        };
        return effect.onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .atMost(config.processingRetries());
    }
}
