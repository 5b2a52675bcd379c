package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class CheckoutFlowTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void checkoutThenCheckoutSessionCompletedPutsTheOrgOnStandardAndPublishesItOnce() {
        String org = "org_checkout";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        StripeFake.launchCouponExists();
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "cus_checkout", "object": "customer", "name": "Org org_checkout", "email": "billing@org_checkout.example",
                         "metadata": {"org_id": "org_checkout"}, "livemode": false}""")));
        stripe.stubFor(post("/v1/checkout/sessions").withHeader("Idempotency-Key", matching("checkout:org_checkout:.+"))
                .willReturn(okJson("""
                        {"id": "cs_test_checkout", "object": "checkout.session", "mode": "subscription", "status": "open",
                         "customer": "cus_checkout", "client_reference_id": "org_checkout",
                         "url": "https://checkout.stripe.com/c/pay/cs_test_checkout", "livemode": false}""")));

        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "standard"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(200)
                .body("sessionId", Matchers.equalTo("cs_test_checkout"))
                .body("url", Matchers.equalTo("https://checkout.stripe.com/c/pay/cs_test_checkout"));
        String checkoutForm = form(stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:org_checkout:.+"))).getFirst());
        for (String field : List.of("mode=subscription", "customer=cus_checkout", "client_reference_id=org_checkout",
                "line_items[0][price]=price_standard_monthly_test", "line_items[0][quantity]=1", "discounts[0][coupon]=LAUNCH50",
                "subscription_data[metadata][plan]=standard")) {
            assertTrue(checkoutForm.contains(field), field + " in " + checkoutForm);
        }

        assertEquals(List.of("checkout.started | plan standard with coupon LAUNCH50 | checkout requested | cs_test_checkout,cus_checkout | user:alice"),
                Db.audit(org, "checkout."));

        long now = TestClock.now().getEpochSecond();
        long periodStart = now - 5;
        long periodEnd = periodStart + 30 * 86400;
        stripe.stubFor(get("/v1/subscriptions/sub_checkout").willReturn(okJson(
                Stripe.subscription("sub_checkout", "cus_checkout", org, "active", Stripe.STANDARD_PRICE, periodStart, periodEnd))));
        String completed = Stripe.event("evt_checkout_completed", "checkout.session.completed", now, """
                {"id": "cs_test_checkout", "object": "checkout.session", "mode": "subscription", "status": "complete",
                 "payment_status": "paid", "customer": "cus_checkout", "subscription": "sub_checkout",
                 "client_reference_id": "org_checkout", "metadata": {"org_id": "org_checkout", "plan": "standard"}, "livemode": false}""");
        String subscriptionCreated = Stripe.event("evt_checkout_sub_created", "customer.subscription.created", now,
                Stripe.subscription("sub_checkout", "cus_checkout", org, "active", Stripe.STANDARD_PRICE, periodStart, periodEnd));

        Stripe.deliver(completed).statusCode(200).body("duplicate", Matchers.equalTo(false));
        Stripe.deliver(subscriptionCreated).statusCode(200);
        Stripe.deliver(completed).statusCode(200).body("duplicate", Matchers.equalTo(true));

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", Matchers.equalTo("standard"))
                .body("plan.includedAnomalies", Matchers.equalTo(50000))
                .body("plan.overagePriceMicros", Matchers.equalTo(1000))
                .body("status", Matchers.equalTo("active"))
                .body("stripeSubscriptionId", Matchers.equalTo("sub_checkout"))
                .body("dunningState", Matchers.equalTo("ok")));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_checkout_completed", "evt_checkout_sub_created")));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of(
                new SubscriptionChanged("standard", "active", 50000, 1000, "usd", Instant.ofEpochSecond(periodStart),
                        Instant.ofEpochSecond(periodEnd), 2, "sub_checkout")),
                BillingFixtures.published(billing, org, SubscriptionChanged.class).stream().filter(e -> e.plan().equals("standard")).toList()));
        List<SubscriptionChanged> all = BillingFixtures.published(billing, org, SubscriptionChanged.class);
        assertEquals(List.of("developer", "standard"), all.stream().map(SubscriptionChanged::plan).toList());
        assertEquals(List.of(1L, 2L), all.stream().map(SubscriptionChanged::revision).toList());
        assertEquals(1, Db.count("SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'subscription.changed' AND actor = 'stripe:evt_checkout_completed'", org));
        billing.close();
    }

    @Test
    void checkoutRefusesUnknownAndFreePlansAndUnknownCodesAndNeedsAdmin() {
        String org = "org_checkout_refused";
        BillingFixtures.createOrg(kafka, org);
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "platinum"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/unknown-plan"));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "developer"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(422)
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/plan-not-purchasable"));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("{}")
                .when().post("/v1/billing/checkout").then()
                .statusCode(422)
                .body("errors.field", Matchers.equalTo(java.util.List.of("plan")));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("{\"plan\": ")
                .when().post("/v1/billing/checkout").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/malformed-json"));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).contentType("application/json").body("""
                        {"plan": "standard"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(403);
        stripe.stubFor(get(urlPathEqualTo("/v1/promotion_codes")).withQueryParam("code", equalTo("NOSUCHCODE"))
                .willReturn(okJson("""
                        {"object": "list", "data": [], "has_more": false, "url": "/v1/promotion_codes"}""")));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "growth", "promotionCode": "NOSUCHCODE"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(422)
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/unknown-promotion-code"));
        assertEquals(0, stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:" + org + ":.+"))).size());
    }

    @Test
    void anOtherActivePromotionCodeIsAppliedAndThePortalOpensForTheStripeCustomer() {
        String org = "org_promo";
        BillingFixtures.createOrg(kafka, org);
        stripe.stubFor(post("/v1/customers").withHeader("Idempotency-Key", equalTo("customer:" + org))
                .willReturn(okJson("""
                        {"id": "cus_promo", "object": "customer", "metadata": {"org_id": "org_promo"}, "livemode": false}""")));
        stripe.stubFor(get(urlPathEqualTo("/v1/promotion_codes")).withQueryParam("code", equalTo("FRIENDS20"))
                .willReturn(okJson("""
                        {"object": "list", "has_more": false, "url": "/v1/promotion_codes",
                         "data": [{"id": "promo_friends20", "object": "promotion_code", "code": "FRIENDS20", "active": true}]}""")));
        stripe.stubFor(post("/v1/checkout/sessions").withHeader("Idempotency-Key", matching("checkout:org_promo:.+"))
                .willReturn(okJson("""
                        {"id": "cs_test_promo", "object": "checkout.session", "mode": "subscription",
                         "url": "https://checkout.stripe.com/c/pay/cs_test_promo", "livemode": false}""")));
        stripe.stubFor(post("/v1/billing_portal/sessions").withHeader("Idempotency-Key", matching("portal:org_promo:.+"))
                .willReturn(okJson("""
                        {"id": "bps_promo", "object": "billing_portal.session", "customer": "cus_promo",
                         "return_url": "https://app.driftlock.example/billing", "url": "https://billing.stripe.com/p/session/test_promo",
                         "livemode": false}""")));

        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"plan": "growth", "promotionCode": "FRIENDS20"}""")
                .when().post("/v1/billing/checkout").then()
                .statusCode(200)
                .body("sessionId", Matchers.equalTo("cs_test_promo"));
        String checkoutForm = form(stripe.findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withHeader("Idempotency-Key", matching("checkout:org_promo:.+"))).getFirst());
        assertTrue(checkoutForm.contains("discounts[0][promotion_code]=promo_friends20"), checkoutForm);
        assertTrue(checkoutForm.contains("line_items[0][price]=price_growth_monthly_test"), checkoutForm);
        assertTrue(!checkoutForm.contains("coupon") && !checkoutForm.contains("allow_promotion_codes"), checkoutForm);
        assertEquals(List.of("checkout.started | plan growth with promotion code promo_friends20 | checkout requested | cs_test_promo,cus_promo"
                + " | user:alice"), Db.audit(org, "checkout."));

        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body("""
                        {"returnUrl": "https://app.driftlock.example/billing"}""")
                .when().post("/v1/billing/portal").then()
                .statusCode(200)
                .body("url", Matchers.equalTo("https://billing.stripe.com/p/session/test_promo"));
        String portalForm = form(stripe.findAll(postRequestedFor(urlEqualTo("/v1/billing_portal/sessions"))
                .withHeader("Idempotency-Key", matching("portal:org_promo:.+"))).getFirst());
        assertTrue(portalForm.contains("customer=cus_promo") && portalForm.contains("return_url=https://app.driftlock.example/billing"), portalForm);
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo("customer:" + org))).size());
    }

    private static String form(LoggedRequest request) {
        return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
    }
}
