package dev.driftlock.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.DeadLetters;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The org's plan follows billing's subscription_changed (newest revision wins) and selects its rate limits. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class PlanFromBillingTest {

    private static final String DEVELOPER = "\"key\";q=600;w=60, \"org\";q=1200;w=60";
    private static final String STANDARD = "\"key\";q=3000;w=60, \"org\";q=6000;w=60";
    private static final String GROWTH = "\"key\";q=12000;w=60, \"org\";q=30000;w=60";
    private static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void subscriptionChangesSwitchTheOrgsLimitsNewestRevisionWinsAndOlderOrRepeatedOnesChangeNothing() {
        String org = Accounts.signUp("user-paula", "Paula Plans");
        String key = Accounts.createKey("user-paula", org, List.of("read"), null);
        UpstreamStubTestResource.server().stubFor(get(urlPathEqualTo("/v1/plans")).willReturn(aResponse().withStatus(200).withBody("[]")));
        assertEquals(DEVELOPER, policyOf(key));
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.GATEWAY_DLQ);

        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BILLING, org, changed(org, "standard", 2))).awaitCompletion();

        Eventually.assertThat(() -> assertEquals(STANDARD, policyOf(key)));

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.BILLING, org, changed(org, "developer", 1)),
                new ProducerRecord<>(Topics.BILLING, org, changed(org, "standard", 2)),
                new ProducerRecord<>(Topics.BILLING, org, "{\"type\":\"billing.subscription_changed\"}"),
                new ProducerRecord<>(Topics.BILLING, org, changed(org, "growth", 3))).awaitCompletion();

        Eventually.assertThat(() -> assertEquals(GROWTH, policyOf(key)));
        given().auth().oauth2(Accounts.userToken("user-paula")).when().get("/v1/orgs/" + org).then()
                .statusCode(200)
                .body("plan", Matchers.equalTo("growth"));
        // the older revision 1 and the repeated revision 2 were consumed before revision 3 (same
        // partition) and left no trace: two plan changes only
        given().auth().oauth2(Accounts.userToken("user-paula")).when().get("/v1/orgs/" + org + "/audit").then()
                .statusCode(200)
                .body("action", Matchers.equalTo(List.of("org.plan_changed", "org.plan_changed", "api_key.created", "org.created")))
                .body("detail[0]", Matchers.equalTo("standard -> growth (revision 3)"))
                .body("detail[1]", Matchers.equalTo("developer -> standard (revision 2)"))
                .body("actor[0]", Matchers.equalTo("billing"));
        Eventually.assertThat(Duration.ofSeconds(30), () -> assertEquals(List.of("'data' must be a JSON object"),
                deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).map(DeadLetters::reason).toList()));
        deadLetters.close();
    }

    private static String policyOf(String key) {
        return given().header("X-Api-Key", key).when().get("/v1/plans").then().statusCode(200).extract().header("RateLimit-Policy");
    }

    private static String changed(String org, String plan, long revision) {
        UUID eventId = UUID.nameUUIDFromBytes(("subscription_changed:" + org + ":" + revision).getBytes(StandardCharsets.UTF_8));
        return EventJson.write(Envelope.of(eventId, org, Instant.parse("2026-11-21T10:00:00Z").plusSeconds(revision),
                new SubscriptionChanged(plan, "active", 50_000, 1_000, "usd", PERIOD_START, PERIOD_END, revision,
                        revision == 1 ? null : "sub_" + revision)));
    }
}
