package dev.driftlock.metering.inbox;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.metering.MeteringConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The envelope handling every metering consumer shares: read the record, skip types this version
 * does not know, refuse a type that does not belong on the topic (thrown, so the channel's
 * dead-letter strategy takes the record with the reason), and retry the effect with backoff
 * ({@code processing-retries}) before its failure reaches the channel. An effect that throws
 * {@link MalformedEventException} while it is built is dead-lettered at once, without retries.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);

    private final MeteringConfig config;

    EventDispatcher(MeteringConfig config) {
        this.config = config;
    }

    public <T extends DriftlockEvent> Uni<Void> dispatch(String value, String topic, Class<T> topicEvents,
            BiFunction<Envelope<DriftlockEvent>, T, Uni<Void>> effect) {
        Envelope<DriftlockEvent> envelope;
        try {
            envelope = EventJson.read(value);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!topicEvents.isInstance(envelope.data())) {
            throw new MalformedEventException(envelope.type() + " does not belong on " + topic);
        }
        return effect.apply(envelope, topicEvents.cast(envelope.data()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.processingRetries());
    }
}
