package dev.driftlock.detection.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.driftlock.detection.Api;
import dev.driftlock.detection.Metrics;
import dev.driftlock.detection.Traffic;
import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.EventsIngested;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Acceptance of streaming detection against the real Kafka and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class DetectionFlowTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    IngestConsumer consumer;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void httpAndKafkaIngestionGiveTheSameAnomaliesOnceInTheApiOnTheTopicAndInTheFeed() throws Exception {
        String org = "org_same";
        List<String> events = Traffic.events();
        // Two flagged events (300, 361) of one cause within the gap: one incident, one anomaly.
        assertEquals(List.of(300L, 361L), Traffic.reference(events).stream().map(Traffic.Expected::position).toList());
        List<Traffic.ExpectedIncident> expected = Traffic.incidents(events);
        assertEquals(List.of("300-361 x2"), expected.stream().map(e -> e.position() + "-" + e.lastPosition() + " x" + e.events()).toList());
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        ConsumerTask<String, String> ingestionTopic = kafka.consumeStrings().fromTopics(Topics.INGESTION);
        Api.Feed feed = Api.feed(org, null, "0");
        java.util.Set<String> complete = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CompletableFuture<List<String[]>> fed = feed.until(data -> {
            JsonPath item = JsonPath.from(data);
            if (item.getInt("events") == 2) {
                complete.add(item.getString("id"));
            }
            return complete.size() == 2;
        });

        for (int from = 0; from < events.size(); from += 100) {
            postBatch(org, "via-http", events, from, from + 100);
        }
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(Api.ingest(org, "via-kafka", "e-" + i, events.get(i)));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        for (String stream : List.of("via-http", "via-kafka")) {
            Eventually.assertThat(Duration.ofSeconds(60), () -> assertEquals(expected.size(), Api.anomalies(org, stream).size()));
            assertMatchesReference(expected, Api.anomalies(org, stream), true);
        }
        // A retried batch (same event ids, including an incident) creates nothing new.
        postBatch(org, "via-http", events, 300, 400);
        given().auth().oauth2(InternalTokens.mint(org, "ingestor", "ingest")).contentType("application/json")
                .body("[{\"eventId\":\"e-final\",\"event\":" + Traffic.event(1) + "}]")
                .when().post("/v1/streams/via-http/events").then().statusCode(202);
        Eventually.assertThat(() -> given().auth().oauth2(Api.reader(org)).when().get("/v1/streams/via-http").then()
                .statusCode(200).body("eventsSeen", equalTo(401)).body("anomalies", equalTo(1)));
        assertMatchesReference(expected, Api.anomalies(org, "via-http"), true);

        List<String> apiIds = new ArrayList<>();
        for (String stream : List.of("via-http", "via-kafka")) {
            Api.anomalies(org, stream).forEach(a -> apiIds.add((String) a.get("id")));
        }
        // Exactly once on the anomalies topic.
        List<String> expectedIds = apiIds.stream().sorted().toList();
        Eventually.assertThat(() -> assertEquals(expectedIds, published(anomalyTopic, org)));
        Thread.sleep(1000);
        assertEquals(expectedIds, published(anomalyTopic, org));
        anomalyTopic.close();
        // Ingestion counts: every accepted event once, retries not counted.
        Eventually.assertThat(() -> assertEquals(Map.of("via-http", 401, "via-kafka", 400), ingestedPerStream(ingestionTopic, org)));
        ingestionTopic.close();
        // And in the live feed: each anomaly, sent again when it grew, each feed id once.
        List<String[]> feedEvents = fed.get(30, TimeUnit.SECONDS);
        feed.close();
        assertEquals(apiIds.stream().sorted().toList(),
                feedEvents.stream().map(e -> JsonPath.from(e[1]).getString("id")).distinct().sorted().toList());
        assertEquals(feedEvents.size(), feedEvents.stream().map(e -> e[0]).distinct().count());
    }

    @Test
    void aKillAndRestartMidStreamGivesExactlyTheAnomaliesOfAnUninterruptedRun() {
        String org = "org_crash";
        String key = org + "/crashy";
        List<String> events = Traffic.events();
        List<Traffic.ExpectedIncident> expected = Traffic.incidents(events);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            // no client ids: anomalies are identified by their position in the stream
            records.add(Api.ingest(org, "crashy", null, events.get(i)));
        }
        ConsumerTask<String, String> anomalyTopic = kafka.consumeStrings().fromTopics(Topics.ANOMALIES);
        long offset299 = kafka.produceStrings().fromRecords(records.subList(0, 300)).awaitCompletion().lastOffset();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "crashy", 300));
        // A graceful stop saves every live detector with the offset it reflects.
        consumer.stop(false);
        assertEquals(offset299, StreamTables.snapshotOffset(dataSource, key));
        consumer.start();
        kafka.produceStrings().fromRecords(records.subList(300, 330)).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "crashy", 330));
        // 30 events since the snapshot (fewer than snapshot-every-events, well within snapshot-every).
        assertEquals(offset299, StreamTables.snapshotOffset(dataSource, key));
        double ingestedBefore = Metrics.value("driftlock_detection_events_ingested_total");
        double replayedBefore = Metrics.value("driftlock_detection_events_replayed_total");

        // The process dies: detectors are lost; the snapshot (event 299) is older than the committed offset (event 329).
        consumer.stop(true);
        kafka.produceStrings().fromRecords(records.subList(330, 400)).awaitCompletion();
        consumer.start();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "crashy", 400));
        assertMatchesReference(expected, Api.anomalies(org, "crashy"), false);
        // Replay started at the snapshot: exactly events 300..329 re-scored without effects, the 70 new ones scored once.
        assertEquals(30.0, Metrics.value("driftlock_detection_events_replayed_total") - replayedBefore);
        assertEquals(70.0, Metrics.value("driftlock_detection_events_ingested_total") - ingestedBefore);
        // Each anomaly exactly once on the anomalies topic (its growth at 361, after the crash, as anomaly.updated).
        List<String> apiIds = Api.anomalies(org, "crashy").stream().map(a -> (String) a.get("id")).sorted().toList();
        Eventually.assertThat(() -> assertEquals(apiIds, published(anomalyTopic, org)));
        sleep(1500);
        assertEquals(apiIds, published(anomalyTopic, org));
        anomalyTopic.close();
    }

    @Test
    void aRevokedPartitionsDetectorsAreSnapshottedAtTheirExactOffset() throws Exception {
        String org = "org_handover";
        String key = org + "/handed";
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(Api.ingest(org, "handed", "h-" + i, Traffic.event(i)));
        }
        long lastOffset = kafka.produceStrings().fromRecords(records).awaitCompletion().lastOffset();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "handed", 50));
        assertEquals(-1, StreamTables.snapshotOffset(dataSource, key), "50 events: below snapshot-every-events (100), within snapshot-every (60 s)");

        // A second member joins the consumer group: the service's partitions are revoked and rebalanced.
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "detection-service");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> intruder = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            intruder.subscribe(List.of(Topics.INGEST));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (intruder.assignment().isEmpty() && System.nanoTime() < deadline) {
                intruder.poll(Duration.ofMillis(200));
            }
            assertFalse(intruder.assignment().isEmpty(), "the second member got partitions");
            assertEquals(lastOffset, StreamTables.snapshotOffset(dataSource, key));
        }
        // The service takes the partitions back and goes on from the snapshot.
        kafka.produceStrings().fromRecords(List.of(Api.ingest(org, "handed", "h-50", Traffic.event(50)))).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "handed", 51));
    }



    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertMatchesReference(List<Traffic.ExpectedIncident> expected, List<Map<String, Object>> found, boolean withIds) {
        List<Map<String, Object>> byPosition = found.stream()
                .sorted((a, b) -> Long.compare(((Number) a.get("position")).longValue(), ((Number) b.get("position")).longValue()))
                .toList();
        assertEquals(expected.size(), byPosition.size());
        for (int i = 0; i < expected.size(); i++) {
            Traffic.ExpectedIncident e = expected.get(i);
            Map<String, Object> a = byPosition.get(i);
            assertEquals(e.position(), ((Number) a.get("position")).longValue());
            assertEquals(e.lastPosition(), ((Number) a.get("lastPosition")).longValue());
            assertEquals(e.events(), ((Number) a.get("events")).longValue());
            assertEquals(withIds ? "e-" + e.position() : "#" + e.position(), a.get("eventRef"));
            assertEquals(e.score(), ((Number) a.get("score")).doubleValue());
            assertEquals(e.pValue(), ((Number) a.get("pValue")).doubleValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> evidence = (Map<String, Object>) a.get("evidence");
            assertEquals(e.baselineEvents(), evidence.get("baselineEvents"));
            assertEquals(e.calibrationSize(), evidence.get("calibrationSize"));
            assertEquals("new", a.get("status"));
        }
    }

    static void postBatch(String org, String stream, List<String> events, int from, int to) {
        String body = java.util.stream.IntStream.range(from, to)
                .mapToObj(i -> "{\"eventId\":\"e-" + i + "\",\"event\":" + events.get(i) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        given().auth().oauth2(InternalTokens.mint(org, "ingestor", "ingest")).contentType("application/json").body(body)
                .when().post("/v1/streams/" + stream + "/events").then()
                .statusCode(202).body("accepted", equalTo(to - from)).body("eventIds[0]", equalTo("e-" + from));
    }

    private static List<String> published(ConsumerTask<String, String> topic, String org) {
        return topic.getRecords().stream().filter(r -> org.equals(r.key())).map(r -> EventJson.read(r.value()).data())
                .filter(AnomalyDetected.class::isInstance).map(e -> ((AnomalyDetected) e).anomalyId()).sorted().toList();
    }

    private static Map<String, Integer> ingestedPerStream(ConsumerTask<String, String> topic, String org) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> r : topic.getRecords()) {
            if (org.equals(r.key())) {
                Envelope<DriftlockEvent> envelope = EventJson.read(r.value());
                EventsIngested ingested = (EventsIngested) envelope.data();
                counts.merge(ingested.streamId(), ingested.accepted(), Integer::sum);
            }
        }
        return counts;
    }
}
