package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.PeriodClosed;
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
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Metering's usage.period_closed settles the period: the overage not invoiced mid-cycle is invoiced once, at once. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "billing"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StripeFake.class, scope = TestResourceScope.GLOBAL)
class PeriodEndInvoiceTest {

    static final Instant PERIOD_START = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2026-11-01T00:00:00Z");

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer stripe = StripeFake.server();

    @Test
    void aPeriodWithA500DollarMidCycleInvoiceAndA742Dollar35FinalOverageIsChargedExactly242Dollars35Once() {
        String org = "org_period_end";
        ConsumerTask<String, String> billing = kafka.consumeStrings().fromTopics(Topics.BILLING);
        BillingFixtures.createOrg(kafka, org);
        long now = TestClock.now().getEpochSecond();
        Stripe.deliver(Stripe.event("evt_period_end_sub", "customer.subscription.created", now,
                Stripe.subscription("sub_period_end", "cus_period_end", org, "active", Stripe.STANDARD_PRICE,
                        PERIOD_START.getEpochSecond(), PERIOD_END.getEpochSecond()))).statusCode(200);
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertTrue(Db.settled("evt_period_end_sub")));

        // mid-cycle: $500 at the first threshold step
        String midKey = "mid-cycle:" + org + ":" + PERIOD_START.getEpochSecond() + ":1";
        stubInvoice(midKey, "in_pe_mid", 50000, now);
        InvoiceThresholdReached step = new InvoiceThresholdReached(1, 50000, 500000, 50000, "usd", PERIOD_START, PERIOD_END);
        produce(org, EventJson.write(Envelope.of(UUID.fromString("5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01"), org, TestClock.now(), step)));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1, Db.count(
                "SELECT count(*) FROM mid_cycle_invoice WHERE org_id = ? AND amount_cents = 50000", org)));

        // period end: final overage $742.35, delivered three times (twice the same record, once republished with another id)
        String endKey = "period-end:" + org + ":" + PERIOD_START.getEpochSecond();
        stubInvoice(endKey, "in_pe_final", 24235, now + 1);
        PeriodClosed closed = new PeriodClosed(50000, 792350, 742350, 74235, "usd", PERIOD_START, PERIOD_END, "standard");
        String first = EventJson.write(Envelope.of(UUID.fromString("5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a02"), org, TestClock.now(), closed));
        String republished = EventJson.write(Envelope.of(UUID.fromString("5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a03"), org, TestClock.now(), closed));
        produce(org, first, first, republished);

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(2, Db.count(
                "SELECT count(*) FROM processed_event WHERE consumer = 'period-end-invoicing' AND event_id IN (?::uuid, ?::uuid)",
                "5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a02", "5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a03")));
        List<String> items = stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoiceitems"))
                        .withRequestBody(containing("customer=cus_period_end")))
                .stream().map(request -> URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8)).toList();
        assertEquals(2, items.size(), "one mid-cycle item and one period-end item: " + items);
        assertEquals(1, items.stream().filter(item -> item.contains("amount=50000") && item.contains("invoice=in_pe_mid")).count(), items.toString());
        assertEquals(1, items.stream().filter(item -> item.contains("amount=24235") && item.contains("currency=usd")
                && item.contains("invoice=in_pe_final") && item.contains("metadata[kind]=period_end")).count(), items.toString());
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoices")).withHeader("Idempotency-Key", equalTo(endKey + ":invoice"))).size());
        assertEquals(1, stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoices/in_pe_final/finalize"))).size());
        assertEquals(List.of(74235L, 50000L, 24235L), Db.longs(
                "SELECT final_overage_cents, mid_cycle_cents, amount_cents FROM period_end_invoice WHERE org_id = ?", org));

        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/invoices").then()
                .statusCode(200)
                .body("id", Matchers.equalTo(List.of("in_pe_final", "in_pe_mid")))
                .body("kind", Matchers.equalTo(List.of("period_end", "mid_cycle")))
                .body("amountDueCents", Matchers.equalTo(List.of(24235, 50000)));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(List.of(
                        new InvoiceCreated("in_pe_mid", "mid_cycle", 50000, "usd", "https://invoice.stripe.com/i/acct_test/in_pe_mid",
                                "https://pay.stripe.com/invoice/acct_test/in_pe_mid/pdf", PERIOD_START, PERIOD_END),
                        new InvoiceCreated("in_pe_final", "period_end", 24235, "usd", "https://invoice.stripe.com/i/acct_test/in_pe_final",
                                "https://pay.stripe.com/invoice/acct_test/in_pe_final/pdf", PERIOD_START, PERIOD_END)),
                BillingFixtures.published(billing, org, InvoiceCreated.class)));

        // a threshold step of the settled period arriving late invoices nothing more
        produce(org, EventJson.write(Envelope.of(UUID.fromString("5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a04"), org, TestClock.now(),
                new InvoiceThresholdReached(2, 50000, 1000000, 100000, "usd", PERIOD_START, PERIOD_END))));
        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1, Db.count(
                "SELECT count(*) FROM processed_event WHERE event_id = '5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a04'::uuid")));
        assertEquals(2, stripe.findAll(postRequestedFor(urlEqualTo("/v1/invoiceitems")).withRequestBody(containing("customer=cus_period_end"))).size());
        assertEquals(List.of(
                "invoice.created | mid_cycle 50000 usd | invoice finalized | in_pe_mid | kafka:5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01",
                "invoice.mid_cycle | overage 50000 cents so far, invoiced 50000 usd | invoice threshold step 1 | in_pe_mid"
                        + " | kafka:5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a01",
                "invoice.created | period_end 24235 usd | invoice finalized | in_pe_final | kafka:5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a02",
                "invoice.period_end | final overage 74235 cents, 50000 invoiced mid-cycle, invoiced 24235 usd | period closed | in_pe_final"
                        + " | kafka:5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a02"), Db.audit(org, "invoice."));
        billing.close();
    }

    @Test
    void aFreePlanPeriodWithoutOverageMakesNoStripeCall() {
        String org = "org_period_free";
        BillingFixtures.createOrg(kafka, org);
        PeriodClosed closed = new PeriodClosed(1000, 800, 0, 0, "usd", PERIOD_START, PERIOD_END, "developer");
        produce(org, EventJson.write(Envelope.of(UUID.fromString("5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1b01"), org, TestClock.now(), closed)));

        Eventually.assertThat(BillingFixtures.PATIENCE, () -> assertEquals(1, Db.count(
                "SELECT count(*) FROM processed_event WHERE consumer = 'period-end-invoicing' AND event_id = '5e0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1b01'::uuid")));
        assertEquals(List.of(0L, 0L, 0L), Db.longs(
                "SELECT final_overage_cents, mid_cycle_cents, amount_cents FROM period_end_invoice WHERE org_id = ?", org));
        assertEquals(0, stripe.findAll(anyRequestedFor(anyUrl()).withHeader("Idempotency-Key", containing(org))).size());
        assertEquals(0, Db.count("SELECT count(*) FROM invoice WHERE org_id = ?", org));
    }

    private void stubInvoice(String key, String invoiceId, long amount, long created) {
        stripe.stubFor(post("/v1/invoices").withHeader("Idempotency-Key", equalTo(key + ":invoice")).willReturn(okJson(
                Stripe.invoice(invoiceId, "cus_period_end", "draft", 0, 0, 0, "manual", created, null))));
        stripe.stubFor(post("/v1/invoiceitems").withHeader("Idempotency-Key", equalTo(key + ":item")).willReturn(okJson("""
                {"id": "ii_%s", "object": "invoiceitem", "customer": "cus_period_end", "invoice": "%s",
                 "amount": %d, "currency": "usd", "livemode": false}""".formatted(invoiceId, invoiceId, amount))));
        stripe.stubFor(post("/v1/invoices/" + invoiceId + "/finalize").withHeader("Idempotency-Key", equalTo(key + ":finalize")).willReturn(okJson(
                Stripe.invoice(invoiceId, "cus_period_end", "open", amount, 0, 0, "manual", created, null))));
    }

    private void produce(String org, String... values) {
        kafka.produceStrings().fromRecords(java.util.Arrays.stream(values).map(v -> new ProducerRecord<>(Topics.USAGE, org, v)).toList())
                .awaitCompletion(BillingFixtures.PATIENCE);
    }
}
