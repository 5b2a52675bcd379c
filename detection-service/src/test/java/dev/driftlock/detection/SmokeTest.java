package dev.driftlock.detection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.IngestHeaders;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
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

    @Inject
    PgPool database;

    @Test
    void readinessCoversDatabaseAndKafka() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }

    @Test
    void flywayCreatedTheServiceTables() {
        List<String> tables = new ArrayList<>();
        for (Row row : database.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
                .executeAndAwait()) {
            tables.add(row.getString("table_name"));
        }
        assertEquals(List.of("flyway_schema_history", "stream"), tables);
    }

    @Test
    void v1RejectsCallsWithoutAValidInternalToken() {
        given().when().get("/v1/streams").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("type", equalTo("https://driftlock.dev/problems/unauthenticated"));
        given().auth().oauth2(InternalTokens.mintExpired("org_smoke", "alice", "read")).when().get("/v1/streams").then()
                .statusCode(401);
        given().auth().oauth2(InternalTokens.mintWithUntrustedKey("org_smoke", "alice", "read")).when().get("/v1/streams").then()
                .statusCode(401);
        given().auth().oauth2(InternalTokens.mint("org_smoke", "alice", "ingest")).when().get("/v1/streams").then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void ingestRecordsRoundTripThroughKafkaAndMalformedOnesAreDeadLettered() {
        String org = "org_roundtrip";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.DETECTION_DLQ);

        kafka.produceStrings().fromRecords(
                ingest(org, "checkout-api", "{\"status\":200}"),
                ingest(org, "checkout-api", "{\"status\":201}"),
                new ProducerRecord<>(Topics.INGEST, org + "/nameless", "{\"status\":500}")).awaitCompletion();

        await(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/streams").then()
                .statusCode(200)
                .body("streamId", equalTo(List.of("checkout-api")))
                .body("eventsSeen", equalTo(List.of(2))));
        ConsumerRecord<String, String> deadLetter = deadLetters.awaitRecords(1, Duration.ofSeconds(30)).getRecords().getFirst();
        assertEquals("{\"status\":500}", deadLetter.value());
        assertEquals("header driftlock-org-id is missing or invalid", header(deadLetter, "dead-letter-reason"));
        deadLetters.close();
    }

    private static ProducerRecord<String, String> ingest(String org, String stream, String body) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGEST, org + "/" + stream, body);
        record.headers().add(IngestHeaders.ORG_ID, org.getBytes(StandardCharsets.UTF_8));
        record.headers().add(IngestHeaders.STREAM_ID, stream.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return StreamSupport.stream(record.headers().headers(name).spliterator(), false)
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).findFirst().orElse(null);
    }

    private static void await(Runnable assertion) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
