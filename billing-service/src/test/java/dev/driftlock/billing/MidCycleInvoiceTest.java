package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageThresholdCrossed;
import dev.driftlock.testinfra.DeadLetters;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class MidCycleInvoiceTest {

    static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void overageCrossing500DollarsCreatesExactlyOneStripeInvoiceEvenOnRedelivery() {
        String org = "org_midcycle";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        String subscribed = Stripe.event("evt_midcycle_sub", "customer.subscription.created", now,
                Stripe.subscription("sub_midcycle", "cus_midcycle", org, "active", Stripe.STANDARD_PRICE,
                        PERIOD_START.getEpochSecond(), PERIOD_END.getEpochSecond()));
        Stripe.deliver(subscribed).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_midcycle_sub")));

        String key = "mid-cycle:org_midcycle:" + PERIOD_START.getEpochSecond() + ":1";
        stripe.stubFor(post("/v1/invoices").withHeader("Idempotency-Key", equalTo(key + ":invoice")).willReturn(okJson(
                Stripe.invoice("in_midcycle", "cus_midcycle", "draft", 0, 0, 0, "manual", now, "mid_cycle"))));
        stripe.stubFor(post("/v1/invoiceitems").withHeader("Idempotency-Key", equalTo(key + ":item")).willReturn(okJson("""
                {"id": "ii_midcycle", "object": "invoiceitem", "customer": "cus_midcycle", "invoice": "in_midcycle",
                 "amount": 50000, "currency": "usd", "livemode": false}""")));
        stripe.stubFor(post("/v1/invoices/in_midcycle/finalize").withHeader("Idempotency-Key", equalTo(key + ":finalize")).willReturn(okJson(
                Stripe.invoice("in_midcycle", "cus_midcycle", "open", 50000, 0, 0, "manual", now, "mid_cycle"))));

        InvoiceThresholdReached reached = new InvoiceThresholdReached(1, 50000, 500000, 50000, "usd", PERIOD_START, PERIOD_END);
        String first = EventJson.write(Envelope.of(UUID.fromString("7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e01"), org, TestClock.now(), reached));
        String republished = EventJson.write(Envelope.of(UUID.fromString("7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e02"), org, TestClock.now(), reached));
        String warning = EventJson.write(Envelope.of(UUID.randomUUID(), org, TestClock.now(),
                new UsageThresholdCrossed(80, 40000, 50000, "standard", PERIOD_START, PERIOD_END)));
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.USAGE, org, warning),
                new ProducerRecord<>(Topics.USAGE, org, first),
                new ProducerRecord<>(Topics.USAGE, org, first),
                new ProducerRecord<>(Topics.USAGE, org, republished)).awaitCompletion(BillingFixtures.PATIENCE);

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(2, Db.count(
                "SELECT count(*) FROM processed_event WHERE consumer = 'mid-cycle-invoicing' AND event_id IN (?::uuid, ?::uuid)",
                "7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e01", "7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e02")));
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoices")).withHeader("Idempotency-Key", equalTo(key + ":invoice"))).size());
        assertEquals(1, stripe.findAll(postRequestedFor(urlMatching("/v1/invoices/in_midcycle/finalize"))).size());
        List<String> items = stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoiceitems")).withHeader("Idempotency-Key", equalTo(key + ":item")))
                .stream().map(request -> URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8)).toList();
        assertEquals(1, items.size());
        assertTrue(items.getFirst().contains("amount=50000") && items.getFirst().contains("currency=usd")
                && items.getFirst().contains("customer=cus_midcycle") && items.getFirst().contains("invoice=in_midcycle"), items.getFirst());

        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/invoices").then()
                .statusCode(200)
                .body("id", Matchers.equalTo(List.of("in_midcycle")))
                .body("kind", Matchers.equalTo(List.of("mid_cycle")))
                .body("status", Matchers.equalTo(List.of("open")))
                .body("amountDueCents", Matchers.equalTo(List.of(50000)))
                .body("hostedInvoiceUrl", Matchers.equalTo(List.of("https://invoice.stripe.com/i/acct_test/in_midcycle")))
                .body("invoicePdfUrl", Matchers.equalTo(List.of("https://pay.stripe.com/invoice/acct_test/in_midcycle/pdf")));

        // Stripe then reports the invoice finalized: mirrored, not announced twice
        String finalized = Stripe.event("evt_midcycle_finalized", "invoice.finalized", now + 1,
                Stripe.invoice("in_midcycle", "cus_midcycle", "open", 50000, 0, 0, "manual", now, "mid_cycle"));
        Stripe.deliver(finalized).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_midcycle_finalized")));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of(new InvoiceCreated("in_midcycle", "mid_cycle", 50000, "usd",
                        "https://invoice.stripe.com/i/acct_test/in_midcycle", "https://pay.stripe.com/invoice/acct_test/in_midcycle/pdf",
                        PERIOD_START, PERIOD_END)),
                BillingFixtures.published(billing, org, InvoiceCreated.class)));
        assertEquals(List.of(
                "invoice.created | mid_cycle 50000 usd | invoice finalized | in_midcycle | kafka:7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e01",
                "invoice.mid_cycle | overage 50000 cents so far, invoiced 50000 usd | invoice threshold step 1 | in_midcycle"
                        + " | kafka:7d1e0c4a-1b2c-4d3e-8f40-5a6b7c8d9e01"), Db.audit(org, "invoice."));
        billing.close();
    }

    @Test
    void aMalformedUsageRecordIsDeadLetteredWithTheReason() {
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.BILLING_DLQ);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.USAGE, "org_bad_usage", "{\"not\": \"an envelope\"}")).awaitCompletion(BillingFixtures.PATIENCE);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(deadLetters.getRecords().stream().anyMatch(r -> "org_bad_usage".equals(r.key()))));
        ConsumerRecord<String, String> dead = deadLetters.getRecords().stream().filter(r -> "org_bad_usage".equals(r.key())).findFirst().orElseThrow();
        assertEquals("{\"not\": \"an envelope\"}", dead.value());
        assertTrue(DeadLetters.reason(dead) != null && !DeadLetters.reason(dead).isBlank());
        deadLetters.close();
    }
}
