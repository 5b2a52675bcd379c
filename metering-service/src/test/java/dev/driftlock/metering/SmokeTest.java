package dev.driftlock.metering;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class SmokeTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void readinessCoversDatabaseAndKafka() {
        ServiceChecks.assertReadyWith();
    }

    @Test
    void flywayCreatedTheServiceTables() {
        assertEquals(List.of("anomaly_retraction", "daily_usage", "dunning", "flyway_schema_history", "invoice_threshold_step", "outbox",
                "period_close", "processed_event", "quota_policy", "quota_state", "subscription", "usage_counter", "usage_threshold"), ServiceChecks.tablesOf("metering"));
    }

    @Test
    void v1RejectsCallsWithoutAValidInternalToken() {
        ServiceChecks.assertRequiresInternalToken("/v1/usage");
    }

    @Test
    void anomaliesRoundTripThroughKafkaOnceAndMalformedOnesAreDeadLettered() {
        String org = "org_metered";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.METERING_DLQ);
        String anomaly = EventJson.write(Envelope.of(UUID.fromString("8d1e6a52-0f43-4b7a-9e1c-3a5b7c9d1e2f"), org, Instant.now(),
                new AnomalyDetected("anm_1", "checkout-api", "evt-1", Instant.now(), 0.99, 0.0004, "new status 503")));

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.ANOMALIES, org, anomaly),
                new ProducerRecord<>(Topics.ANOMALIES, org, anomaly),
                new ProducerRecord<>(Topics.ANOMALIES, org, "{\"type\":\"anomaly.detected\"}")).awaitCompletion();

        ConsumerRecord<String, String> deadLetter = deadLetters.awaitRecords(1, Duration.ofSeconds(30)).getRecords().getFirst();
        assertEquals("'data' must be a JSON object", DeadLetters.reason(deadLetter));
        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/usage").then()
                .statusCode(200)
                .body("plan", equalTo("developer"))
                .body("includedAnomalies", equalTo(1000))
                .body("usedAnomalies", equalTo(1)));
        deadLetters.close();
    }
}
