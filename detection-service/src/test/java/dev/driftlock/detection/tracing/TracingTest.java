package dev.driftlock.detection.tracing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context with the OpenTelemetry SDK on (in-memory exporter, no collector): HTTP ingest
 * -> ingest record -> consumer span -> anomaly row -> outbox -> anomaly.detected header, and a
 * customer's Kafka producer trace continued the same way.
 */
@QuarkusTest
@TestProfile(OtelOnProfile.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingTest {

    static final String SPAN = "driftlock.ingest.v1 process";
    static final AttributeKey<String> ORG = AttributeKey.stringKey("driftlock.org");
    static final AttributeKey<Boolean> ANOMALY = AttributeKey.booleanKey("driftlock.anomaly");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    InMemorySpanExporter spans;

    @Test
    void anHttpIngestTraceContinuesThroughTheConsumerToTheAnomalyRecord() {
        String org = "org_traced_http";
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        List<String> events = Traffic.events();
        for (int from = 0; from < events.size(); from += 100) {
            assertEquals(100, Api.postEvents(org, "checkout", events, from, from + 100, "00-" + traceId + "-" + callerSpan + "-01"));
        }

        List<ConsumerRecord<String, String>> anomalies = incident(anomalyTopic, org);
        anomalyTopic.close();
        for (ConsumerRecord<String, String> anomaly : anomalies) {
            assertEquals(traceId, traceIdOf(Api.traceparent(anomaly)));
        }
        // One consumer span per event, all in the caller's trace, each a child of an HTTP server span
        // that is itself the caller's child; the anomaly records point at the spans that detected them.
        List<SpanData> consumed = consumerSpans(org, events.size());
        Set<String> serverSpans = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId) && s.getParentSpanId().equals(callerSpan))
                .map(SpanData::getSpanId).collect(Collectors.toSet());
        assertEquals(4, serverSpans.size());
        for (SpanData span : consumed) {
            assertEquals(traceId, span.getTraceId());
            assertEquals(SpanKind.CONSUMER, span.getKind());
            assertEquals(true, serverSpans.contains(span.getParentSpanId()), span.getParentSpanId() + " is not a server span");
        }
        assertIncidentPointsAtItsSpans(consumed, anomalies);
    }

    @Test
    void aKafkaProducersTraceparentIsContinued() {
        String org = "org_traced_kafka";
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String producerSpan = "b7ad6b7169203331";
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        List<String> events = Traffic.events();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ProducerRecord<String, String> record = Api.ingest(org, "payments", "p-" + i, events.get(i));
            record.headers().add("traceparent", ("00-" + traceId + "-" + producerSpan + "-01").getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        List<ConsumerRecord<String, String>> anomalies = incident(anomalyTopic, org);
        anomalyTopic.close();
        for (ConsumerRecord<String, String> anomaly : anomalies) {
            assertEquals(traceId, traceIdOf(Api.traceparent(anomaly)));
        }
        List<SpanData> consumed = consumerSpans(org, events.size());
        for (SpanData span : consumed) {
            assertEquals(traceId, span.getTraceId());
            assertEquals(producerSpan, span.getParentSpanId());
        }
        assertIncidentPointsAtItsSpans(consumed, anomalies);
    }

    @Test
    void aMonitorApiAnomalyRecordCarriesTheRequestsTrace() {
        String org = "org_traced_monitor";
        String traceId = "11112222333344445555666677778888";
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        List<String> events = Traffic.events();
        String body = "{\"requestId\":\"traced-1\",\"baseline\":" + events.subList(0, 300) + ",\"items\":"
                + events.subList(300, 370) + "}";
        JsonPath answer = given().auth().oauth2(Api.ingestor(org)).header("traceparent", "00-" + traceId + "-1234567890abcdef-01")
                .contentType("application/json").body(body).when().post("/v1/detect").then().statusCode(200).extract().jsonPath();
        int found = answer.getInt("anomalies");
        assertEquals(true, found > 0, "the incident at item 0 is an anomaly");

        List<ConsumerRecord<String, String>> anomalies = anomalies(anomalyTopic, org, found);
        anomalyTopic.close();
        for (ConsumerRecord<String, String> anomaly : anomalies) {
            assertEquals(traceId, traceIdOf(Api.traceparent(anomaly)));
        }
    }

    /** Waits for exactly {@code count} anomaly.detected records of the org (and no more a second later). */
    private static List<ConsumerRecord<String, String>> anomalies(ConsumerTask<String, String> topic, String org, int count) {
        Eventually.assertThat(Duration.ofSeconds(60), () -> assertEquals(count, ofOrg(topic, org).size()));
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ConsumerRecord<String, String>> records = ofOrg(topic, org);
        assertEquals(count, records.size());
        records.forEach(r -> assertEquals(true, EventJson.read(r.value()).data() instanceof AnomalyDetected));
        return records;
    }

    /**
     * Waits for Traffic's one incident (events 300 and 361): its anomaly.detected and, when 361 came in
     * a later consumer batch than 300, one anomaly.updated; returns them, detected first.
     */
    private static List<ConsumerRecord<String, String>> incident(ConsumerTask<String, String> topic, String org) {
        Eventually.assertThat(Duration.ofSeconds(60), () -> assertEquals(1, ofOrg(topic, org).stream()
                .filter(r -> EventJson.read(r.value()).data() instanceof AnomalyDetected).count()));
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ConsumerRecord<String, String>> records = ofOrg(topic, org);
        assertEquals(true, EventJson.read(records.getFirst().value()).data() instanceof AnomalyDetected);
        assertEquals(true, records.size() <= 2, records.size() + " records");
        records.stream().skip(1).forEach(r -> assertEquals(true, EventJson.read(r.value()).data() instanceof AnomalyUpdated));
        return records;
    }

    /** The anomaly.detected points at the span that opened the incident (300), an anomaly.updated at the one that grew it (361). */
    private static void assertIncidentPointsAtItsSpans(List<SpanData> consumed, List<ConsumerRecord<String, String>> records) {
        List<String> detecting = consumed.stream().filter(s -> Boolean.TRUE.equals(s.getAttributes().get(ANOMALY)))
                .sorted(java.util.Comparator.comparing(s -> s.getAttributes().get(OFFSET)))
                .map(SpanData::getSpanId).toList();
        assertEquals(2, detecting.size());
        List<String> parents = records.stream().map(r -> Api.traceparent(r).substring(36, 52)).toList();
        assertEquals(detecting.getFirst(), parents.getFirst());
        if (parents.size() == 2) {
            assertEquals(detecting.getLast(), parents.getLast());
        }
    }

    private static List<ConsumerRecord<String, String>> ofOrg(ConsumerTask<String, String> topic, String org) {
        return topic.getRecords().stream().filter(r -> org.equals(r.key())).toList();
    }

    private List<SpanData> consumerSpans(String org, int count) {
        Eventually.assertThat(() -> assertEquals(count, spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(SPAN) && org.equals(s.getAttributes().get(ORG))).count()));
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(SPAN) && org.equals(s.getAttributes().get(ORG)))
                .toList();
    }

    private static Set<String> detectingSpans(List<SpanData> consumed) {
        return consumed.stream().filter(s -> Boolean.TRUE.equals(s.getAttributes().get(ANOMALY))).map(SpanData::getSpanId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> parentIdsOf(List<ConsumerRecord<String, String>> anomalies) {
        return anomalies.stream().map(r -> Api.traceparent(r).substring(36, 52)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String traceIdOf(String traceparent) {
        assertEquals(55, traceparent == null ? 0 : traceparent.length(), "traceparent " + traceparent);
        return traceparent.substring(3, 35);
    }
}
