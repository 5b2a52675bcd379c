package dev.driftlock.detection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.IngestHeaders;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.DeadLetters;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.ServiceChecks;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class SmokeTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void readinessCoversDatabaseAndKafka() {
        ServiceChecks.assertReadyWith();
    }

    @Test
    void flywayCreatedTheServiceTables() {
        assertEquals(List.of("anomaly", "anomaly_status_change", "event_ref", "flyway_schema_history", "org_settings", "outbox",
                "stream", "stream_feedback", "stream_settings", "stream_snapshot"), ServiceChecks.tablesOf("detection"));
    }

    @Test
    void v1RejectsCallsWithoutAValidInternalToken() {
        ServiceChecks.assertRequiresInternalToken("/v1/streams");
    }

    @Test
    void ingestRecordsRoundTripThroughKafkaAndMalformedOnesAreDeadLettered() {
        String org = "org_roundtrip";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.DETECTION_DLQ);

        kafka.produceStrings().fromRecords(
                ingest(org, "checkout-api", "{\"status\":200}"),
                ingest(org, "checkout-api", "{\"status\":201}"),
                new ProducerRecord<>(Topics.INGEST, org + "/nameless", "{\"status\":500}")).awaitCompletion();

        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/streams").then()
                .statusCode(200)
                .body("streamId", equalTo(List.of("checkout-api")))
                .body("eventsSeen", equalTo(List.of(2))));
        ConsumerRecord<String, String> deadLetter = deadLetters.awaitRecords(1, Duration.ofSeconds(30)).getRecords().getFirst();
        assertEquals("{\"status\":500}", deadLetter.value());
        assertEquals("header driftlock-org-id is missing or invalid", DeadLetters.reason(deadLetter));
        deadLetters.close();
    }

    @Test
    void detectionMetricsArePublished() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("driftlock_detection_events_ingested_total", "driftlock_detection_anomalies_total",
                "driftlock_detection_latency_seconds_bucket", "driftlock_detection_events_replayed_total",
                "driftlock_detection_streams_active",
                "driftlock_detection_consumer_lag")) {
            org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
    }

    private static ProducerRecord<String, String> ingest(String org, String stream, String body) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGEST, org + "/" + stream, body);
        record.headers().add(IngestHeaders.ORG_ID, org.getBytes(StandardCharsets.UTF_8));
        record.headers().add(IngestHeaders.STREAM_ID, stream.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
