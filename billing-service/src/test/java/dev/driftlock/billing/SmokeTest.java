package dev.driftlock.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgCreated;
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
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class SmokeTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void readinessCoversDatabaseAndKafka() {
        ServiceChecks.assertReadyWith();
    }

    @Test
    void flywayCreatedTheServiceTablesAndSeededThePlans() {
        assertEquals(List.of("audit_log", "customer", "flyway_schema_history", "invoice", "mid_cycle_invoice", "outbox", "period_end_invoice", "plan", "processed_event",
                "stripe_event"), ServiceChecks.tablesOf("billing"));
        given().auth().oauth2(InternalTokens.mint("org_smoke", "alice", "read")).when().get("/v1/plans").then()
                .statusCode(200)
                .body("id", equalTo(List.of("developer", "standard", "growth")))
                .body("includedAnomalies", equalTo(List.of(1000, 50000, 500000)))
                .body("monthlyPriceCents", equalTo(List.of(0, 4900, 24900)))
                .body("overagePriceMicros", equalTo(List.of(0, 1000, 500)));
    }

    @Test
    void v1RejectsCallsWithoutAValidInternalToken() {
        ServiceChecks.assertRequiresInternalToken("/v1/subscription");
    }

    @Test
    void newOrgsRoundTripThroughKafkaOntoTheDeveloperPlanAndMalformedOnesAreDeadLettered() {
        String org = "org_billed";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.BILLING_DLQ);
        String orgCreated = EventJson.write(Envelope.of(UUID.fromString("5c0a7e21-3b9d-4f1e-8a6c-2d4f6b8a0c1e"), org,
                Instant.parse("2026-11-21T09:00:00Z"), new OrgCreated("Acme", List.of("billing@acme.example"), "alice", "alice@acme.example")));

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.ORGS, org, orgCreated),
                new ProducerRecord<>(Topics.ORGS, org, orgCreated),
                new ProducerRecord<>(Topics.ORGS, org, "not json")).awaitCompletion(BillingFixtures.PATIENCE);

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(deadLetters.getRecords().stream().anyMatch(r -> org.equals(r.key()))));
        ConsumerRecord<String, String> deadLetter = deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).findFirst().orElseThrow();
        assertEquals("not json", deadLetter.value());
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("orgId", equalTo(org))
                .body("plan.id", equalTo("developer"))
                .body("plan.includedAnomalies", equalTo(1000))
                .body("status", equalTo("active")));
        deadLetters.close();
    }
}
