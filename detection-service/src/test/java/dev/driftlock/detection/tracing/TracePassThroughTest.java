package dev.driftlock.detection.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.driftlock.detection.Api;
import dev.driftlock.detection.Traffic;
import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.AnomalyUpdated;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The default (OpenTelemetry SDK off): no spans, but a caller's valid {@code traceparent} is passed
 * through unchanged from the HTTP ingest to the ingest records and the anomaly.detected records.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class TracePassThroughTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    InMemorySpanExporter spans;

    @Test
    void withTheSdkOffACallersTraceparentIsPassedThroughAndNoSpanIsMade() throws Exception {
        String org = "org_passthrough";
        String traceparent = "00-5a6b7c8d9e0f11223344556677889900-0123456789abcdef-01";
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        ConsumerTask<String, String> ingestTopic = kafka.consumeStrings().fromTopics(Topics.INGEST);
        List<String> events = Traffic.events();
        for (int from = 0; from < events.size(); from += 100) {
            // an invalid traceparent on one batch is dropped, not passed on
            Api.postEvents(org, "traced", events, from, from + 100, from == 100 ? "00-not-a-trace-01" : traceparent);
        }
        List<ProducerRecord<String, String>> untraced = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            untraced.add(Api.ingest(org, "untraced", "u-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(untraced).awaitCompletion();

        // One incident per stream (events 300 and 361): its anomaly.detected, and an anomaly.updated when
        // 361 came in a later consumer batch.
        Eventually.assertThat(Duration.ofSeconds(60), () -> assertEquals(2, ofOrg(anomalyTopic, org).stream()
                .filter(r -> EventJson.read(r.value()).data() instanceof AnomalyDetected).count()));
        Thread.sleep(1000);
        List<ConsumerRecord<String, String>> anomalies = ofOrg(anomalyTopic, org);
        anomalyTopic.close();
        java.util.Map<String, java.util.Set<String>> headersByStream = new java.util.TreeMap<>();
        for (ConsumerRecord<String, String> anomaly : anomalies) {
            String stream = switch (EventJson.read(anomaly.value()).data()) {
                case AnomalyDetected d -> d.streamId();
                case AnomalyUpdated u -> u.streamId();
                default -> throw new AssertionError("unexpected " + anomaly.value());
            };
            headersByStream.computeIfAbsent(stream, k -> new java.util.TreeSet<>())
                    .add(String.valueOf(Api.traceparent(anomaly)));
        }
        // every record of stream "traced" carries the caller's traceparent; none of "untraced" has one
        assertEquals(java.util.Map.of("traced", java.util.Set.of(traceparent), "untraced", java.util.Set.of("null")), headersByStream);

        Eventually.assertThat(() -> assertEquals(800, ofOrg(ingestTopic, org + "/traced").size() + ofOrg(ingestTopic, org + "/untraced").size()));
        List<ConsumerRecord<String, String>> ingested = ofOrg(ingestTopic, org + "/traced");
        ingestTopic.close();
        assertEquals(300, ingested.stream().filter(r -> traceparent.equals(Api.traceparent(r))).count());
        assertEquals(100, ingested.stream().filter(r -> Api.traceparent(r) == null).count());
        assertEquals(List.of(), spans.getFinishedSpanItems());
    }

    private static List<ConsumerRecord<String, String>> ofOrg(ConsumerTask<String, String> topic, String key) {
        return topic.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }
}
