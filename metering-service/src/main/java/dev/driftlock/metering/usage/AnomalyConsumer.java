package dev.driftlock.metering.usage;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.AnomalyEvent;
import dev.driftlock.events.AnomalyRetracted;
import dev.driftlock.events.AnomalyUpdated;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.MalformedEventException;
import dev.driftlock.events.UnknownEventTypeException;
import dev.driftlock.platform.inbox.EventDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Counts anomaly-detected events, once each, and takes retracted anomalies (false positives) off the
 * usage, once each, a polled batch at a time (one transaction per batch); {@code anomaly.updated}
 * (an incident grew) is never billed and is skipped.
 * A malformed record is dead-lettered with the reason on its own and the rest of the batch is
 * counted, so the partition moves on; unknown event types (newer producers) are skipped; a batch
 * whose transaction fails is retried with backoff, then dead-lettered by the channel's strategy.
 */
@ApplicationScoped
class AnomalyConsumer {

    private static final Logger LOG = Logger.getLogger(AnomalyConsumer.class);

    private final UsageService usage;
    private final DeadLetters deadLetters;
    private final EventDispatcher dispatcher;

    AnomalyConsumer(UsageService usage, DeadLetters deadLetters, EventDispatcher dispatcher) {
        this.usage = usage;
        this.deadLetters = deadLetters;
        this.dispatcher = dispatcher;
    }

    @Incoming("anomalies")
    Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<UsageService.CountedAnomaly> anomalies = new ArrayList<>(records.count());
        List<UsageRetractions.RetractedAnomaly> retractions = new ArrayList<>();
        List<Uni<Void>> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                file(record.value(), anomalies, retractions);
            } catch (UnknownEventTypeException e) {
                LOG.debugf("skipping %s", e.getMessage());
            } catch (MalformedEventException e) {
                rejected.add(deadLetters.send(record, e));
            }
        }
        Uni<Void> deadLettered = rejected.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(rejected).andFailFast().replaceWithVoid();
        return deadLettered.flatMap(v -> dispatcher.retried(usage.countAnomalies(anomalies, retractions)));
    }

    private static void file(String value, List<UsageService.CountedAnomaly> anomalies,
                             List<UsageRetractions.RetractedAnomaly> retractions) {
        Envelope<DriftlockEvent> envelope = EventJson.read(value);
        if (!(envelope.data() instanceof AnomalyEvent event)) {
            throw new MalformedEventException(envelope.type() + " does not belong on the anomalies topic");
        }
        switch (event) {
            case AnomalyDetected detected ->
                    anomalies.add(new UsageService.CountedAnomaly(envelope.eventId(), envelope.orgId(), detected.detectedAt()));
            case AnomalyUpdated updated -> LOG.debugf("anomaly %s grew to %d events: not billed", updated.anomalyId(), updated.events());
            case AnomalyRetracted retracted -> retractions.add(new UsageRetractions.RetractedAnomaly(envelope.eventId(),
                    envelope.orgId(), retracted.anomalyId(), retracted.detectedAt()));
        }
    }
}
