package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The launch promotion disabled ({@code DRIFTLOCK_BILLING_PROMOTIONS_LAUNCH_ENABLED=false}): no coupon,
 * customers may type codes on the Checkout page, and the launch code is only an ordinary promotion code.
 */
@QuarkusTest
@TestProfile(LaunchPromotionDisabledTest.LaunchDisabled.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class LaunchPromotionDisabledTest {

    public static class LaunchDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("driftlock.billing.promotions.launch-enabled", "false");
        }
    }

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void noDiscountAndPromotionCodesAllowedOnTheCheckoutPageAndTheLaunchCodeIsOnlyLookedUp() {
        String org = "org_launch_off";
        BillingFixtures.createOrg(kafka, org);
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "cus_launch_off", "object": "customer", "metadata": {"org_id": "org_launch_off"}, "livemode": false}""")));
        stripe.stubFor(post("/v1/checkout/sessions").withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))
                .willReturn(okJson("""
                        {"id": "cs_test_launch_off", "object": "checkout.session", "mode": "subscription",
                         "url": "https://checkout.stripe.com/c/pay/cs_test_launch_off", "livemode": false}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/promotion_codes")).withQueryParam("code", equalTo("LAUNCH50"))
                .willReturn(okJson("""
                        {"object": "list", "data": [], "has_more": false, "url": "/v1/promotion_codes"}""")));
        int couponReads = stripe.findAll(getRequestedFor(urlEqualTo("/v1/coupons/LAUNCH50"))).size();

        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "standard", "successUrl": "https://app.driftlock.example/ok", "cancelUrl": "https://app.driftlock.example/no"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(200)
                .body("sessionId", Matchers.equalTo("cs_test_launch_off"));
        var sessions = stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+")));
        assertEquals(1, sessions.size());
        assertEquals(List.of(
                "allow_promotion_codes=true",
                "cancel_url=https://app.driftlock.example/no",
                "client_reference_id=" + org,
                "customer=cus_launch_off",
                "line_items[0][price]=price_standard_monthly_test",
                "line_items[0][quantity]=1",
                "metadata[org_id]=" + org,
                "metadata[plan]=standard",
                "mode=subscription",
                "subscription_data[metadata][org_id]=" + org,
                "subscription_data[metadata][plan]=standard",
                "success_url=https://app.driftlock.example/ok"), Stripe.form(sessions.getFirst()));
        assertEquals(1, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'checkout.started' AND detail = 'plan standard, promotion codes allowed'
                 AND stripe_ids = 'cs_test_launch_off,cus_launch_off' AND actor = 'user:alice'""", org));

        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "standard", "promotionCode": "LAUNCH50"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(422)
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/unknown-promotion-code"));
        assertEquals(couponReads, stripe.findAll(getRequestedFor(urlEqualTo("/v1/coupons/LAUNCH50"))).size());
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))).size());
    }
}
