package dev.driftlock.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "notification"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class SmokeTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void readinessCoversDatabaseAndKafka() {
        ServiceChecks.assertReadyWith();
    }

    @Test
    void flywayCreatedTheServiceTables() {
        assertEquals(List.of("flyway_schema_history", "notification", "notification_fact", "org_recipients", "processed_event"),
                ServiceChecks.tablesOf("notification"));
    }

    @Test
    void v1RejectsCallsWithoutAValidInternalToken() {
        ServiceChecks.assertRequiresInternalToken("/v1/notification-settings");
    }

    @Test
    void orgContactsRoundTripThroughKafkaNewestRevisionWinsAndMalformedOnesAreDeadLettered() {
        String org = "org_notified";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.NOTIFICATION_DLQ);
        Instant at = Instant.parse("2026-11-21T09:00:00Z");
        String created = EventJson.write(Envelope.of(UUID.fromString("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"), org, at,
                new OrgCreated("Acme", List.of("billing@acme.example"), "alice", "alice@acme.example")));
        String revision2 = EventJson.write(Envelope.of(UUID.fromString("2b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"), org, at.plusSeconds(60),
                new OrgUpdated("Acme Ltd", List.of("finance@acme.example", "billing@acme.example"), 2)));
        String staleRevision1 = EventJson.write(Envelope.of(UUID.fromString("3b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"), org, at.plusSeconds(30),
                new OrgUpdated("Acme Old", List.of("old@acme.example"), 1)));

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.ORGS, org, created),
                new ProducerRecord<>(Topics.ORGS, org, revision2),
                new ProducerRecord<>(Topics.ORGS, org, staleRevision1),
                new ProducerRecord<>(Topics.ORGS, org, revision2.replace("\"orgId\":\"" + org + "\",", ""))).awaitCompletion();

        Eventually.assertThat(() -> assertEquals(1, deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).count()));
        ConsumerRecord<String, String> deadLetter = deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).findFirst().orElseThrow();
        assertEquals("'orgId' is required and must be a non-empty string", DeadLetters.reason(deadLetter));
        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when()
                .get("/v1/notification-settings").then()
                .statusCode(200)
                .body("recipients", equalTo(List.of("finance@acme.example", "billing@acme.example")))
                .body("usageEmails", equalTo(true)));
        deadLetters.close();
    }
}
