package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The launch promotion (enabled, the default): its Stripe coupon is made sure of before a checkout applies it. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class LaunchPromotionTest {

    static final String SCENARIO = "launch coupon";

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void aMissingLaunchCouponIsCreatedOnceWithTheLaunchTermsThenAppliedToEachCheckout() {
        String org = "org_launch_missing";
        BillingFixtures.createOrg(kafka, org);
        stripe.resetScenarios();
        stripe.stubFor(get("/v1/coupons/LAUNCH50").inScenario(SCENARIO).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody(Stripe.resourceMissing("coupon", "LAUNCH50"))));
        stripe.stubFor(post("/v1/coupons").inScenario(SCENARIO).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("created")
                .willReturn(okJson(Stripe.coupon("LAUNCH50", "50.0", "repeating", 3, true))));
        stripe.stubFor(get("/v1/coupons/LAUNCH50").inScenario(SCENARIO).whenScenarioStateIs("created")
                .willReturn(okJson(Stripe.coupon("LAUNCH50", "50.0", "repeating", 3, true))));
        stubCustomerAndSession(org, "cus_launch_missing", "cs_test_launch_missing");
        int couponsBefore = stripe.findAll(postRequestedFor(urlEqualTo("/v1/coupons"))).size();

        for (int checkout = 0; checkout < 2; checkout++) {
            given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                            {"plan": "standard"}""")
                    .when().post("/v1/billing/checkout").then()
                    .statusCode(200)
                    .body("sessionId", Matchers.equalTo("cs_test_launch_missing"));
        }

        var created = stripe.findAll(postRequestedFor(urlEqualTo("/v1/coupons")));
        assertEquals(couponsBefore + 1, created.size());
        assertEquals(List.of("duration=repeating", "duration_in_months=3", "id=LAUNCH50", "name=Launch: 50% off for 3 months",
                "percent_off=50"), Stripe.form(created.getLast()));
        assertEquals("coupon:LAUNCH50:50-off-repeating-3", created.getLast().getHeader("Idempotency-Key"));
        var sessions = stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+")));
        assertEquals(2, sessions.size());
        for (var session : sessions) {
            assertEquals(List.of(
                    "cancel_url=http://localhost:8080/billing/cancel",
                    "client_reference_id=" + org,
                    "customer=cus_launch_missing",
                    "discounts[0][coupon]=LAUNCH50",
                    "line_items[0][price]=price_standard_monthly_test",
                    "line_items[0][quantity]=1",
                    "metadata[org_id]=" + org,
                    "metadata[plan]=standard",
                    "mode=subscription",
                    "subscription_data[metadata][org_id]=" + org,
                    "subscription_data[metadata][plan]=standard",
                    "success_url=http://localhost:8080/billing/success?session_id={CHECKOUT_SESSION_ID}"), Stripe.form(session));
        }
        assertEquals(2, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'checkout.started' AND detail = 'plan standard with coupon LAUNCH50'
                 AND reason = 'checkout requested' AND stripe_ids = 'cs_test_launch_missing,cus_launch_missing' AND actor = 'user:alice'""", org));
    }

    @Test
    void aLaunchCouponWithOtherTermsIsNeverAppliedAndTheCheckoutFailsClearly() {
        String org = "org_launch_wrong";
        BillingFixtures.createOrg(kafka, org);
        stripe.stubFor(get("/v1/coupons/LAUNCH50").atPriority(1)
                .willReturn(okJson(Stripe.coupon("LAUNCH50", "25.0", "once", null, true))));
        stubCustomerAndSession(org, "cus_launch_wrong", "cs_test_launch_wrong");
        int couponsBefore = stripe.findAll(postRequestedFor(urlEqualTo("/v1/coupons"))).size();
        try {
            given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                            {"plan": "growth"}""")
                    .when().post("/v1/billing/checkout").then()
                    .statusCode(500).contentType("application/problem+json")
                    .body("type", Matchers.equalTo("https://driftlock.dev/problems/launch-promotion-misconfigured"))
                    .body("detail", Matchers.equalTo("The Stripe coupon 'LAUNCH50' behind the launch promotion has percent_off 25,"
                            + " has duration once, has duration_in_months null; it needs percent_off 50, duration repeating,"
                            + " duration_in_months 3. No checkout was started. Fix the coupon in Stripe or point"
                            + " DRIFTLOCK_BILLING_PROMOTIONS_LAUNCH_COUPON to one with these terms (or disable the promotion)."));
        } finally {
            stripe.removeStub(stripe.getStubMappings().stream()
                    .filter(mapping -> Integer.valueOf(1).equals(mapping.getPriority())).findFirst().orElseThrow());
        }
        assertEquals(couponsBefore, stripe.findAll(postRequestedFor(urlEqualTo("/v1/coupons"))).size());
        assertEquals(0, stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))).size());
        assertEquals(0, Db.count("SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'checkout.started'", org));
    }

    @Test
    void theFreeDeveloperPlanIsRefusedBeforeAnyStripeCallSoItIsNeverDiscounted() {
        String org = "org_launch_developer";
        BillingFixtures.createOrg(kafka, org);
        int couponReads = stripe.findAll(getRequestedFor(urlEqualTo("/v1/coupons/LAUNCH50"))).size();
        for (String body : List.of("{\"plan\": \"developer\"}", "{\"plan\": \"developer\", \"promotionCode\": \"LAUNCH50\"}")) {
            given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body(body)
                    .when().post("/v1/billing/checkout").then()
                    .statusCode(422)
                    .body("type", Matchers.equalTo("https://driftlock.dev/problems/plan-not-purchasable"));
        }
        assertEquals(couponReads, stripe.findAll(getRequestedFor(urlEqualTo("/v1/coupons/LAUNCH50"))).size());
        assertEquals(0, stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo("customer:" + org))).size());
        assertEquals(0, stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))).size());
    }

    private void stubCustomerAndSession(String org, String customerId, String sessionId) {
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "%s", "object": "customer", "metadata": {"org_id": "%s"}, "livemode": false}""".formatted(customerId, org))));
        stripe.stubFor(post("/v1/checkout/sessions").withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))
                .willReturn(okJson("""
                        {"id": "%s", "object": "checkout.session", "mode": "subscription",
                         "url": "https://checkout.stripe.com/c/pay/%s", "livemode": false}""".formatted(sessionId, sessionId))));
    }
}
