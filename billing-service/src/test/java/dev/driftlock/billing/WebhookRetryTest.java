package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.driftlock.events.SubscriptionChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stored Stripe event whose processing fails is retried with a growing, persisted backoff, then applied once. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class WebhookRetryTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void aFailingEventBacksOff1s2s4sInTheDatabaseAndALaterSuccessAppliesItOnce() {
        String org = "org_retry";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        long periodStart = now - 3600;
        long periodEnd = periodStart + 30 * 86400;
        // Stripe fails the read the processor needs for a completed checkout
        stripe.stubFor(get("/v1/subscriptions/sub_retry").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_retry_500")
                .withBody("""
                        {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}}""")));
        String completed = Stripe.event("evt_retry_completed", "checkout.session.completed", now, """
                {"id": "cs_test_retry", "object": "checkout.session", "mode": "subscription", "status": "complete",
                 "payment_status": "paid", "customer": "cus_retry", "subscription": "sub_retry",
                 "client_reference_id": "org_retry", "metadata": {"org_id": "org_retry", "plan": "standard"}, "livemode": false}""");
        Stripe.deliver(completed).statusCode(200);

        // each failed attempt is counted and pushes the next one back: 1 s, 2 s, 4 s after it
        List<List<Long>> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(BillingFixtures.PATIENCE);
        while (seen.size() < 3 && Instant.now().isBefore(deadline)) {
            List<Long> row = Db.longs("""
                    SELECT attempts, (extract(epoch FROM retry_at - last_attempt_at) * 1000)::bigint,
                           (extract(epoch FROM last_attempt_at) * 1000)::bigint, (extract(epoch FROM retry_at) * 1000)::bigint
                    FROM stripe_event WHERE id = 'evt_retry_completed' AND processed_at IS NULL AND attempts > 0""");
            if (!row.isEmpty() && (seen.isEmpty() || !seen.getLast().getFirst().equals(row.getFirst()))) {
                seen.add(row);
            }
            sleep(Duration.ofMillis(50));
        }
        assertEquals(List.of(1L, 2L, 3L), seen.stream().map(List::getFirst).toList(), "attempts seen: " + seen);
        assertEquals(List.of(1000L, 2000L, 4000L), seen.stream().map(row -> row.get(1)).toList(), "backoff of each attempt: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            long attemptedAt = seen.get(i).get(2);
            long notBefore = seen.get(i - 1).get(3);
            assertTrue(attemptedAt >= notBefore, "attempt " + (i + 1) + " ran before its retry time: " + seen);
        }
        assertTrue(Db.count("SELECT count(*) FROM stripe_event WHERE id = 'evt_retry_completed' AND last_error LIKE '%Something went wrong%'") == 1);
        int failedReads = stripe.findAll(getRequestedFor(urlEqualTo("/v1/subscriptions/sub_retry"))).size();

        // Stripe recovers: the next attempt applies the event, once
        stripe.stubFor(get("/v1/subscriptions/sub_retry").willReturn(okJson(
                Stripe.subscription("sub_retry", "cus_retry", org, "active", Stripe.STANDARD_PRICE, periodStart, periodEnd))));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_retry_completed")));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of("developer", "standard"),
                BillingFixtures.published(billing, org, SubscriptionChanged.class).stream().map(SubscriptionChanged::plan).toList()));
        assertEquals(List.of(4L), Db.longs("SELECT attempts FROM stripe_event WHERE id = 'evt_retry_completed'"));
        sleep(Duration.ofSeconds(3));
        assertEquals(failedReads + 1, stripe.findAll(getRequestedFor(urlEqualTo("/v1/subscriptions/sub_retry"))).size());
        assertEquals(2, BillingFixtures.published(billing, org, SubscriptionChanged.class).size());
        billing.close();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
