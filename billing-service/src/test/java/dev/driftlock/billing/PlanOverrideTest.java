package dev.driftlock.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A plan overridden by config wins over the Flyway seed, in the catalog and in what billing publishes.
 * The override is written into the shared test database at startup; the seed is restored afterwards so
 * test classes of the default profile see the seeded catalog whatever the class order.
 */
@QuarkusTest
@TestProfile(PlanOverrideTest.StandardWith60000Included.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class PlanOverrideTest {

    /** {@code DRIFTLOCK_BILLING_PLANS_STANDARD_INCLUDED_ANOMALIES=60000} and a cheaper standard overage. */
    public static class StandardWith60000Included implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("driftlock.billing.plans.standard.included-anomalies", "60000",
                    "driftlock.billing.plans.standard.overage-price-micros", "800");
        }
    }

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @AfterAll
    static void restoreTheSeededCatalog() {
        Db.update("UPDATE plan SET included_anomalies = 50000, overage_price_micros = 1000 WHERE id = 'standard'");
    }

    @Test
    void theOverriddenPlanIsInTheCatalogAndInTheSubscriptionChangedEvent() {
        given().auth().oauth2(InternalTokens.mint("org_plan_override", "alice", "read")).when().get("/v1/plans").then()
                .statusCode(200)
                .body("id", equalTo(List.of("developer", "standard", "growth")))
                .body("includedAnomalies", equalTo(List.of(1000, 60000, 500000)))
                .body("monthlyPriceCents", equalTo(List.of(0, 4900, 24900)))
                .body("overagePriceMicros", equalTo(List.of(0, 800, 500)));

        String org = "org_plan_override";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        Stripe.deliver(Stripe.event("evt_plan_override_sub", "customer.subscription.created", now,
                Stripe.subscription("sub_plan_override", "cus_plan_override", org, "active", Stripe.STANDARD_PRICE, now - 60,
                        now - 60 + 30 * 86400))).statusCode(200);

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read"))
                .when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", equalTo("standard"))
                .body("plan.includedAnomalies", equalTo(60000)));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of("developer 1000 0", "standard 60000 800"),
                BillingFixtures.published(billing, org, SubscriptionChanged.class).stream()
                        .map(s -> s.plan() + " " + s.includedAnomalies() + " " + s.overagePriceMicros()).toList()));
        billing.close();
    }
}
