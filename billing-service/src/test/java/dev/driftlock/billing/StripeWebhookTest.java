package dev.driftlock.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoicePaid;
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
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class StripeWebhookTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void aBadSignatureOrAStaleTimestampGets400AndChangesNothing() {
        String org = "org_forged";
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        String body = Stripe.event("evt_forged", "customer.subscription.created", now,
                Stripe.subscription("sub_forged", "cus_forged", org, "active", Stripe.GROWTH_PRICE, now, now + 30 * 86400));

        Stripe.deliver(body, Stripe.signature("whsec_someone_else", now, body)).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/invalid-webhook"));
        Stripe.deliver(body, Stripe.signature(StripeFake.WEBHOOK_SECRET, now - 301, body)).statusCode(400)
                .body("type", equalTo("https://driftlock.dev/problems/invalid-webhook"));
        Stripe.deliver(body.replace("growth", "standard"), Stripe.signature(StripeFake.WEBHOOK_SECRET, now, body)).statusCode(400);
        given().contentType("application/json").body(body).when().post("/webhooks/stripe").then().statusCode(400);

        assertEquals(0, Db.count("SELECT count(*) FROM stripe_event WHERE id = 'evt_forged'"));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", equalTo("developer"))
                .body("revision", equalTo(1));
    }

    @Test
    void replayedDuplicatedAndOutOfOrderEventsLeaveTheSameFinalStateAsOrderedOnes() {
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        long t0 = TestClock.now().getEpochSecond() - 120;
        long periodStart = t0;
        long periodEnd = t0 + 30 * 86400;

        String ordered = "org_ordered";
        BillingFixtures.createOrg(kafka, ordered);
        List<String> inOrder = history(ordered, "cus_ordered", t0, periodStart, periodEnd);
        for (String event : inOrder) {
            Stripe.deliver(event).statusCode(200);
            Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled(idOf(event))));
        }

        String shuffled = "org_shuffled";
        BillingFixtures.createOrg(kafka, shuffled);
        List<String> events = history(shuffled, "cus_shuffled", t0, periodStart, periodEnd);
        // the payment before anything links cus_shuffled to the org: retried until the subscription event links it
        Stripe.deliver(events.get(3)).statusCode(200);
        Stripe.deliver(events.get(1)).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled(idOf(events.get(1)), idOf(events.get(3)))));
        // then the older ones, each applied before the next arrives, and replays
        for (String event : List.of(events.get(0), events.get(2), events.get(1), events.get(3))) {
            Stripe.deliver(event).statusCode(200);
            Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled(idOf(event))));
        }

        assertEquals(view(ordered, "/v1/subscription"), view(shuffled, "/v1/subscription"));
        assertEquals(view(ordered, "/v1/invoices"), view(shuffled, "/v1/invoices"));
        given().auth().oauth2(InternalTokens.mint(shuffled, "alice", "read")).when().get("/v1/subscription").then()
                .body("plan.id", equalTo("growth"))
                .body("plan.includedAnomalies", equalTo(500000))
                .body("stripeSubscriptionId", equalTo("sub_org_shuffled"));
        given().auth().oauth2(InternalTokens.mint(shuffled, "alice", "read")).when().get("/v1/invoices").then()
                .body("status", equalTo(List.of("paid")))
                .body("amountPaidCents", equalTo(List.of(24900)))
                .body("hostedInvoiceUrl", equalTo(List.of("https://invoice.stripe.com/i/acct_test/in_org_shuffled")))
                .body("invoicePdfUrl", equalTo(List.of("https://pay.stripe.com/invoice/acct_test/in_org_shuffled/pdf")));

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled()));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> {
            assertEquals(List.of("developer", "standard", "growth"),
                    BillingFixtures.published(billing, ordered, SubscriptionChanged.class).stream().map(SubscriptionChanged::plan).toList());
            // the older "standard" arrived after "growth" was applied: never applied, never published
            assertEquals(List.of("developer", "growth"),
                    BillingFixtures.published(billing, shuffled, SubscriptionChanged.class).stream().map(SubscriptionChanged::plan).toList());
            assertEquals(List.of(new InvoicePaid("in_org_shuffled", 24900, "usd")), BillingFixtures.published(billing, shuffled, InvoicePaid.class));
            assertEquals(List.of("in_org_shuffled"),
                    BillingFixtures.published(billing, shuffled, InvoiceCreated.class).stream().map(InvoiceCreated::invoiceId).toList());
        });
        assertEquals(4, Db.count("SELECT count(*) FROM stripe_event WHERE payload LIKE '%cus_shuffled%'"));
        assertEquals(List.of(
                "invoice.created | subscription 24900 usd | invoice finalized | in_org_ordered | stripe:evt_org_ordered_3",
                "invoice.paid | paid 24900 usd | invoice.paid | in_org_ordered | stripe:evt_org_ordered_4"), Db.audit(ordered, "invoice."));
        // the payment was applied first (the finalization came later): each fact audited once, in the order applied
        assertEquals(List.of(
                "invoice.paid | paid 24900 usd | invoice.paid | in_org_shuffled | stripe:evt_org_shuffled_4",
                "invoice.created | subscription 24900 usd | invoice finalized | in_org_shuffled | stripe:evt_org_shuffled_3"), Db.audit(shuffled, "invoice."));
        billing.close();
    }

    @Test
    void trialWillEndIsAuditedAndAnUnhandledTypeIsStoredAndIgnored() {
        String org = "org_trialing";
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        String trialing = Stripe.subscription("sub_trialing", "cus_trialing", org, "trialing", Stripe.STANDARD_PRICE, now, now + 30 * 86400)
                .replace("\"status\": \"trialing\",", "\"status\": \"trialing\", \"trial_end\": 1798761600,");
        String trialWillEnd = Stripe.event("evt_trial_will_end", "customer.subscription.trial_will_end", now, trialing);
        String refunded = Stripe.event("evt_charge_refunded", "charge.refunded", now,
                """
                {"id": "ch_trialing", "object": "charge", "customer": "cus_trialing", "amount": 4900, "amount_refunded": 4900,
                 "currency": "usd", "refunded": true, "livemode": false}""");

        Stripe.deliver(trialWillEnd).statusCode(200);
        Stripe.deliver(refunded).statusCode(200);
        Stripe.deliver(trialWillEnd).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_trial_will_end", "evt_charge_refunded")));

        assertEquals(1, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'subscription.trial_will_end'
                  AND detail = 'trial ends 2027-01-01T00:00:00Z' AND stripe_ids = 'sub_trialing' AND actor = 'stripe:evt_trial_will_end'""", org));
        assertEquals(2, Db.count("SELECT count(*) FROM stripe_event WHERE id IN ('evt_trial_will_end', 'evt_charge_refunded')"));
        assertEquals(0, Db.count("SELECT count(*) FROM audit_log WHERE actor = 'stripe:evt_charge_refunded'"));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", equalTo("developer"))
                .body("revision", equalTo(1));
    }

    @Test
    void subscriptionDeletedMovesTheOrgBackToTheDefaultPlanOnceAndAnOlderUpdateDoesNotResurrectIt() {
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        String org = "org_cancelled";
        BillingFixtures.createOrg(kafka, org);
        long t0 = TestClock.now().getEpochSecond() - 60;
        long periodStart = t0;
        long periodEnd = t0 + 30 * 86400;
        String created = Stripe.event("evt_cancelled_created", "customer.subscription.created", t0,
                Stripe.subscription("sub_cancelled", "cus_cancelled", org, "active", Stripe.STANDARD_PRICE, periodStart, periodEnd));
        String deleted = Stripe.event("evt_cancelled_deleted", "customer.subscription.deleted", t0 + 20,
                Stripe.subscription("sub_cancelled", "cus_cancelled", org, "canceled", Stripe.STANDARD_PRICE, periodStart, periodEnd));
        String olderUpdate = Stripe.event("evt_cancelled_updated", "customer.subscription.updated", t0 + 10,
                Stripe.subscription("sub_cancelled", "cus_cancelled", org, "active", Stripe.GROWTH_PRICE, periodStart, periodEnd));

        Stripe.deliver(created).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_cancelled_created")));
        Stripe.deliver(deleted).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_cancelled_deleted")));
        Stripe.deliver(olderUpdate).statusCode(200);
        Stripe.deliver(deleted).statusCode(200).body("duplicate", equalTo(true));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_cancelled_updated")));
        // an update of the same second as the deletion, delivered after it (same-second events apply in arrival order)
        String sameSecondUpdate = Stripe.event("evt_cancelled_updated_same_second", "customer.subscription.updated", t0 + 20,
                Stripe.subscription("sub_cancelled", "cus_cancelled", org, "active", Stripe.GROWTH_PRICE, periodStart, periodEnd));
        Stripe.deliver(sameSecondUpdate).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_cancelled_updated_same_second")));

        YearMonth month = YearMonth.from(TestClock.now().atZone(ZoneOffset.UTC));
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("plan.id", equalTo("developer"))
                .body("status", equalTo("active"))
                .body("stripeSubscriptionId", nullValue())
                .body("periodStart", equalTo(monthStart.toString()))
                .body("periodEnd", equalTo(monthEnd.toString()))
                .body("revision", equalTo(3));
        assertEquals(List.of("evt_cancelled_created | applied", "evt_cancelled_deleted | applied", "evt_cancelled_updated | stale",
                        "evt_cancelled_updated_same_second | ended"),
                Db.rows("SELECT id, outcome FROM stripe_event WHERE id LIKE 'evt_cancelled_%' ORDER BY id"));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of(
                        new SubscriptionChanged("developer", "active", 1000, 0, "usd", monthStart, monthEnd, 1, null),
                        new SubscriptionChanged("standard", "active", 50000, 1000, "usd", Instant.ofEpochSecond(periodStart),
                                Instant.ofEpochSecond(periodEnd), 2, "sub_cancelled"),
                        new SubscriptionChanged("developer", "active", 1000, 0, "usd", monthStart, monthEnd, 3, null)),
                BillingFixtures.published(billing, org, SubscriptionChanged.class)));
        assertEquals(1, Db.count("""
                SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'subscription.changed' AND reason = 'customer.subscription.deleted'
                 AND detail = ? AND stripe_ids = 'sub_cancelled' AND actor = 'stripe:evt_cancelled_deleted'""", org,
                "standard/active -> developer/active period " + monthStart + ".." + monthEnd));
        assertEquals(0, Db.count("SELECT count(*) FROM audit_log WHERE actor LIKE 'stripe:evt_cancelled_updated%'"));
        billing.close();
    }

    /** created (standard) -> updated (growth) -> invoice finalized -> invoice paid, one second apart. */
    private static List<String> history(String org, String customer, long t0, long periodStart, long periodEnd) {
        String subscription = "sub_" + org;
        String invoice = "in_" + org;
        return List.of(
                Stripe.event("evt_" + org + "_1", "customer.subscription.created", t0,
                        Stripe.subscription(subscription, customer, org, "active", Stripe.STANDARD_PRICE, periodStart, periodEnd)),
                Stripe.event("evt_" + org + "_2", "customer.subscription.updated", t0 + 1,
                        Stripe.subscription(subscription, customer, org, "active", Stripe.GROWTH_PRICE, periodStart, periodEnd)),
                Stripe.event("evt_" + org + "_3", "invoice.finalized", t0 + 2,
                        Stripe.invoice(invoice, customer, "open", 24900, 0, 0, "subscription_update", t0 + 2, null)),
                Stripe.event("evt_" + org + "_4", "invoice.paid", t0 + 3,
                        Stripe.invoice(invoice, customer, "paid", 24900, 24900, 1, "subscription_update", t0 + 2, null)));
    }

    private static String idOf(String event) {
        return JsonPath.from(event).getString("id");
    }

    /** The response with the org's own ids made neutral, to compare two orgs' state. */
    private static String view(String org, String path) {
        Object body = given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get(path).then()
                .statusCode(200).extract().as(Object.class);
        if (body instanceof Map<?, ?> map) {
            body = new java.util.TreeMap<>(map);
            ((Map<?, ?>) body).remove("orgId");
            ((Map<?, ?>) body).remove("revision"); // counts published changes, which differ by design
        }
        return String.valueOf(body).replace(org, "ORG").replace(org.replace("org_", "cus_"), "CUS");
    }
}
