package dev.driftlock.platform.inbox;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The envelope handling every consumer shares (docs/adr/0003): read the record, skip types this
 * version does not know (tolerant reader), refuse a type that does not belong on the topic and a
 * record that is not an envelope (thrown at once, so the channel's dead-letter strategy takes the
 * record with the reason and the partition moves on), and retry the effect with backoff before its
 * failure reaches the channel. An effect that fails with {@link MalformedEventException} or a
 * {@link PermanentFailure} is dead-lettered at once, without retries.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);

    private final InboxConfig config;

    EventDispatcher(InboxConfig config) {
        this.config = config;
    }

    /**
     * Applies {@code effect} to the event in {@code value}, a record of {@code topic} whose events
     * are all {@code topicEvents}.
     */
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
        return retried(effect.apply(envelope, topicEvents.cast(envelope.data())));
    }

    /**
     * {@code effect} with the policy's retries: for consumers that read their records themselves
     * (batches, headers). A {@link MalformedEventException} or {@link PermanentFailure} is not retried.
     */
    public <T> Uni<T> retried(Uni<T> effect) {
        return effect.onFailure(e -> !(e instanceof MalformedEventException || e instanceof PermanentFailure)).retry()
                .withBackOff(config.firstBackoff(), config.maxBackoff()).atMost(config.processingRetries());
    }
}
