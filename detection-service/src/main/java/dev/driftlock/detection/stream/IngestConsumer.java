package dev.driftlock.detection.stream;

import dev.driftlock.detection.DetectionConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the ingest topic. A malformed record fails at once and lands on the dead-letter topic
 * with the reason; any other failure is retried with backoff before it is dead-lettered, so the
 * partition always moves on and nothing accepted is lost.
 */
@ApplicationScoped
class IngestConsumer {

    private final StreamService streams;
    private final DetectionConfig config;

    IngestConsumer(StreamService streams, DetectionConfig config) {
        this.streams = streams;
        this.config = config;
    }

    @Incoming("ingest")
    Uni<Void> consume(ConsumerRecord<String, String> record) {
        IngestRecord ingest = IngestRecord.of(record);
        return streams.apply(ingest)
                .onFailure(failure -> !(failure instanceof MalformedIngestRecordException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(config.ingest().processingRetries());
    }
}
