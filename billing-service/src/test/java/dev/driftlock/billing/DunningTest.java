package dev.driftlock.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.PaymentFailed;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class DunningTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void aFailedPaymentWalksGraceThenSuspendedOnTheClockThenOkWhenPaidEachStepOnceOnKafka() {
        String org = "org_dunning";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        String subscribed = Stripe.event("evt_dunning_sub", "customer.subscription.created", now,
                Stripe.subscription("sub_dunning", "cus_dunning", org, "active", Stripe.STANDARD_PRICE, now, now + 30 * 86400));
        Stripe.deliver(subscribed).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_dunning_sub")));

        String failed = Stripe.event("evt_dunning_failed_1", "invoice.payment_failed", now + 1,
                Stripe.invoice("in_dunning", "cus_dunning", "open", 4900, 0, 1, "subscription_cycle", now, null));
        Instant failedAt = TestClock.now();
        Stripe.deliver(failed).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_dunning_failed_1")));
        Instant graceEndsAt = Instant.parse(given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .statusCode(200)
                .body("dunningState", equalTo("grace"))
                .extract().path("graceEndsAt"));
        assertTrue(!graceEndsAt.isBefore(failedAt.plus(Duration.ofDays(7)).minusSeconds(1))
                && graceEndsAt.isBefore(failedAt.plus(Duration.ofDays(7)).plusSeconds(60)), graceEndsAt.toString());

        // a replay and a second failed attempt keep the org in grace
        Stripe.deliver(failed).statusCode(200).body("duplicate", equalTo(true));
        String failedAgain = Stripe.event("evt_dunning_failed_2", "invoice.payment_failed", now + 2,
                Stripe.invoice("in_dunning", "cus_dunning", "open", 4900, 0, 2, "subscription_cycle", now, null));
        Stripe.deliver(failedAgain).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_dunning_failed_2")));

        TestClock.advance(Duration.ofDays(6));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled()));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .body("dunningState", equalTo("grace"));

        TestClock.advance(Duration.ofDays(1).plusMinutes(1));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .body("dunningState", equalTo("suspended")));

        String paid = Stripe.event("evt_dunning_paid", "invoice.paid", TestClock.now().getEpochSecond(),
                Stripe.invoice("in_dunning", "cus_dunning", "paid", 4900, 4900, 3, "subscription_cycle", now, null));
        Stripe.deliver(paid).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/subscription").then()
                .body("dunningState", equalTo("ok")));
        // a late replay of the failure after the payment changes nothing
        Stripe.deliver(failed.replace("evt_dunning_failed_1", "evt_dunning_failed_late")).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_dunning_paid", "evt_dunning_failed_late")));

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of(
                        new DunningStateChanged("grace", "ok", graceEndsAt, "payment_failed", 3),
                        new DunningStateChanged("suspended", "grace", null, "grace_ended", 4),
                        new DunningStateChanged("ok", "suspended", null, "invoice_paid", 5)),
                BillingFixtures.published(billing, org, DunningStateChanged.class)));
        assertEquals(List.of(1, 2), BillingFixtures.published(billing, org, PaymentFailed.class).stream().map(PaymentFailed::attemptCount).toList());
        assertEquals(List.of("in_dunning", "in_dunning"),
                BillingFixtures.published(billing, org, PaymentFailed.class).stream().map(PaymentFailed::invoiceId).toList());
        assertEquals(3, Db.count("SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'dunning.changed'", org));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_log WHERE org_id = ? AND action = 'dunning.changed' AND actor = 'scheduler'", org));
        assertEquals(List.of(
                "invoice.payment_failed | attempt 1 failed | invoice.payment_failed | in_dunning,evt_dunning_failed_1 | stripe:evt_dunning_failed_1",
                "invoice.payment_failed | attempt 2 failed | invoice.payment_failed | in_dunning,evt_dunning_failed_2 | stripe:evt_dunning_failed_2",
                "invoice.paid | paid 4900 usd | invoice.paid | in_dunning | stripe:evt_dunning_paid"), Db.audit(org, "invoice."));
        billing.close();
    }
}
