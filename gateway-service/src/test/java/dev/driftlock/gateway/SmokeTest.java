package dev.driftlock.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.DeadLetters;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import dev.driftlock.testinfra.ServiceChecks;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class SmokeTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void readinessCoversDatabaseKafkaAndRedis() {
        ServiceChecks.assertReadyWith("Redis connection health check");
    }

    @Test
    void flywayCreatedTheServiceTables() {
        assertEquals(List.of("api_key", "audit_log", "flyway_schema_history", "member", "org", "outbox", "quota_state"),
                ServiceChecks.tablesOf("gateway"));
    }

    @Test
    void ownEndpointsRejectCallsWithoutCredentialsAsProblemJson() {
        given().when().get("/v1/quota-state").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/unauthenticated"));
        given().header("X-Api-Key", "dlk_live_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB").when().get("/v1/quota-state").then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void quotaStatesRoundTripThroughKafkaNewestWinsAndMalformedOnesAreDeadLettered() {
        String org = Accounts.signUp("user-capped", "Capped Inc");
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.GATEWAY_DLQ);
        Instant at = Instant.parse("2026-11-21T09:00:00Z");
        String blocked = EventJson.write(Envelope.of(UUID.fromString("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), org, at,
                new QuotaStateChanged("blocked", "cap_reached", "hard_cap", 1000, 1000, 100, Instant.parse("2026-12-01T00:00:00Z"),
                        "Your Developer plan's 1,000 anomalies are used up.")));
        String olderOk = EventJson.write(Envelope.of(UUID.fromString("8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), org, at.minusSeconds(60),
                new QuotaStateChanged("ok", "none", "hard_cap", 10, 1000, 100, Instant.parse("2026-12-01T00:00:00Z"), null)));

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.QUOTA_STATE, org, blocked),
                new ProducerRecord<>(Topics.QUOTA_STATE, org, olderOk),
                new ProducerRecord<>(Topics.QUOTA_STATE, org, "[]")).awaitCompletion();

        // the dead-letter topic is shared with other tests' malformed records: only this org's count
        Eventually.assertThat(Duration.ofSeconds(30), () -> assertEquals(List.of("envelope must be a JSON object"),
                deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).map(DeadLetters::reason).toList()));
        Eventually.assertThat(() -> given().auth().oauth2(Accounts.userToken("user-capped")).when().get("/v1/quota-state").then()
                .statusCode(200)
                .body("state", equalTo("blocked"))
                .body("reason", equalTo("cap_reached")));
        deadLetters.close();
    }
}
