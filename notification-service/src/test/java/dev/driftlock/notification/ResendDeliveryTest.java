package dev.driftlock.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.QuotaStateChanged;
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
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Every e-mail kind through a fake Resend API (WireMock, Resend's wire format), exactly once. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "notification"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ResendWireMockResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class ResendDeliveryTest {

    static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer resend = ResendWireMockResource.server();

    @Test
    void eachEventKindSendsExactlyOneEmailWithTheRightNumbersAlthoughEveryEventIsDeliveredThreeTimes() throws Exception {
        String org = "org_resend_all";
        String billing = "billing@acme-resend.example";
        Kafka.produce(kafka, Topics.ORGS, org, 3, Kafka.event("10000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Acme", List.of(billing), "alice", "alice@acme-resend.example")));
        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, requestsTo(billing).size()));
        Kafka.produce(kafka, Topics.USAGE, org, 3, Kafka.event("10000000-0000-4000-8000-000000000002", org,
                new UsageThresholdCrossed(90, 900, 1000, "developer", PERIOD_START, PERIOD_END)));
        Kafka.produce(kafka, Topics.QUOTA_STATE, org, 3,
                Kafka.event("10000000-0000-4000-8000-000000000003", org, capReached()),
                // the same block published again under a new event id (a compacted-topic replay): told already
                Kafka.event("10000000-0000-4000-8000-000000000013", org, capReached()),
                Kafka.event("10000000-0000-4000-8000-000000000023", org,
                        new QuotaStateChanged("warning", "usage_warning", "hard_cap", 900, 1000, 120, PERIOD_END, "90% used")));
        Kafka.produce(kafka, Topics.BILLING, org, 3,
                Kafka.event("10000000-0000-4000-8000-000000000004", org, new PaymentFailed("in_1001", 50000, "usd", 2,
                        Instant.parse("2026-11-24T09:30:00Z"), "https://invoice.stripe.test/i/in_1001")),
                Kafka.event("10000000-0000-4000-8000-000000000005", org, new DunningStateChanged("grace", "ok",
                        Instant.parse("2026-11-28T09:00:00Z"), "payment_failed", 1)),
                Kafka.event("10000000-0000-4000-8000-000000000006", org, new InvoiceCreated("in_2002", "mid_cycle", 123456, "usd",
                        "https://invoice.stripe.test/i/in_2002", "https://invoice.stripe.test/i/in_2002.pdf", PERIOD_START, PERIOD_END)),
                Kafka.event("10000000-0000-4000-8000-000000000016", org, new InvoiceCreated("in_3003", "period_end", 99900, "usd",
                        "https://invoice.stripe.test/i/in_3003", null, PERIOD_START, PERIOD_END)));
        Kafka.awaitConsumed();

        List<LoggedRequest> sent = requestsTo(billing);
        Map<String, JsonNode> bySubject = sent.stream().map(ResendDeliveryTest::body)
                .collect(Collectors.toMap(body -> body.get("subject").asText(), body -> body));
        assertEquals(Set.of(
                "Welcome to DriftLock, Acme",
                "Acme has used 90% of its included anomalies",
                "Acme: anomaly detection is paused, usage cap reached",
                "Acme: payment of $500.00 failed",
                "Acme: payment overdue, please update your payment method",
                "Acme: new invoice for $1,234.56"), bySubject.keySet());
        assertEquals(6, sent.size());
        assertEquals(6, sent.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        sent.forEach(request -> {
            assertEquals("Bearer re_test_key", request.getHeader("Authorization"));
            JsonNode body = body(request);
            assertEquals("DriftLock <notifications@driftlock.dev>", body.get("from").asText());
            assertEquals(List.of(billing), List.of(body.get("to").get(0).asText()));
            assertEquals(1, body.get("to").size());
        });

        assertEquals("""
                Hello Acme team,

                Acme has used 900 of 1,000 anomalies (90%) included in the developer plan for the period ending December 1, 2026.
                At this pace you may exceed your included anomalies before the period ends.

                Review your plan: http://localhost:8080/billing/plan

                --
                You receive usage e-mails as a billing contact of Acme. Turn them off at http://localhost:8080/settings/notifications.
                """, bySubject.get("Acme has used 90% of its included anomalies").get("text").asText());
        assertContains(bySubject.get("Acme has used 90% of its included anomalies").get("html").asText(),
                "Acme has used <strong>900 of 1,000 anomalies (90%)</strong> included in the developer plan for the period ending December 1, 2026.");
        assertContains(bySubject.get("Acme: anomaly detection is paused, usage cap reached").get("text").asText(),
                "Acme reached its usage cap: 1,200 of 1,000 anomalies (120%).\n"
                        + "DriftLock refuses new events until the period ends on December 1, 2026.");
        assertContains(bySubject.get("Acme: payment of $500.00 failed").get("text").asText(),
                "We could not collect $500.00 for invoice in_1001 (attempt 2).\n"
                        + "We will try again on November 24, 2026 at 09:30 UTC.");
        assertContains(bySubject.get("Acme: payment of $500.00 failed").get("text").asText(),
                "Pay the invoice: https://invoice.stripe.test/i/in_1001");
        assertContains(bySubject.get("Acme: payment overdue, please update your payment method").get("text").asText(),
                "A payment for Acme is overdue. Detection continues until November 28, 2026 at 09:00 UTC;");
        assertContains(bySubject.get("Acme: new invoice for $1,234.56").get("text").asText(),
                "A mid-cycle invoice in_2002 for $1,234.56 was created for usage from November 1, 2026 to December 1, 2026");
        assertContains(bySubject.get("Welcome to DriftLock, Acme").get("html").asText(),
                "<a href=\"http://localhost:8080/getting-started\"");

        JsonPath log = given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when()
                .get("/v1/notifications").then().statusCode(200).extract().jsonPath();
        assertEquals(6, log.getList("items").size());
        assertEquals(List.of("sent"), log.getList("items.status").stream().distinct().toList());
        assertEquals(Set.of("usage_threshold", "cap_reached", "payment_failed", "dunning", "mid_cycle_invoice", "welcome"),
                Set.copyOf(log.getList("items.kind")));
        assertEquals(sent.stream().map(r -> "re_" + r.getHeader("Idempotency-Key")).collect(Collectors.toSet()),
                Set.copyOf(log.getList("items.providerId")));
        given().auth().oauth2(InternalTokens.mint("org_someone_else", "bob", "read")).when()
                .get("/v1/notifications").then().statusCode(200).body("items.size()", Matchers.equalTo(0));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when()
                .get("/v1/notifications?limit=0").then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when()
                .get("/v1/notifications?limit=2").then().statusCode(200).body("items.size()", Matchers.equalTo(2));
    }

    @Test
    void aRateLimited429IsRetriedAfterItsRetryAfterAndSentOnce() {
        String org = "org_resend_429";
        String billing = "billing@throttled.example";
        resend.stubFor(post(urlEqualTo("/emails")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to[0]", equalTo(billing)))
                .inScenario("throttled").whenScenarioStateIs(STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":429,\"name\":\"rate_limit_exceeded\",\"message\":\"Too many requests.\"}")));

        Kafka.produce(kafka, Topics.ORGS, org, 3, Kafka.event("20000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Throttled Inc", List.of(billing), "tom", "tom@throttled.example")));
        Kafka.awaitConsumed();

        List<LoggedRequest> requests = requestsTo(billing);
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).getHeader("Idempotency-Key"), requests.get(1).getHeader("Idempotency-Key"));
        long waitedMillis = Math.abs(requests.get(0).getLoggedDate().getTime() - requests.get(1).getLoggedDate().getTime());
        assertTrue(waitedMillis >= 1000, "waited " + waitedMillis + " ms, Retry-After said 1 s");
        given().auth().oauth2(InternalTokens.mint(org, "tom", "read")).when().get("/v1/notifications").then()
                .statusCode(200)
                .body("items.status", Matchers.equalTo(List.of("sent")))
                .body("items.providerId", Matchers.equalTo(List.of("re_" + requests.get(0).getHeader("Idempotency-Key"))));
    }

    @Test
    void aServerErrorStormEndsInRetriesThenTheDeadLetterTopicAndAReplayAfterwardsSendsOnce() {
        String org = "org_resend_storm";
        String billing = "billing@storm.example";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.NOTIFICATION_DLQ);
        var storm = resend.stubFor(post(urlEqualTo("/emails")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to[0]", equalTo(billing)))
                .withRequestBody(matchingJsonPath("$.subject", containing("payment of")))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":503,\"name\":\"service_unavailable\",\"message\":\"Try again later.\"}")));
        Kafka.produce(kafka, Topics.ORGS, org, 1, Kafka.event("30000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Storm Ltd", List.of(billing), "sam", "sam@storm.example")));
        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, requestsTo(billing).size()));
        String paymentFailed = Kafka.event("30000000-0000-4000-8000-000000000002", org,
                new PaymentFailed("in_9009", 4200, "eur", 1, null, null));
        Kafka.produce(kafka, Topics.BILLING, org, 1, paymentFailed);

        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, Kafka.deadLettersOf(deadLetters.getRecords(), org).size()));
        ConsumerRecord<String, String> deadLetter = Kafka.deadLettersOf(deadLetters.getRecords(), org).getFirst();
        String reason = "e-mail payment_failed to billing@storm.example failed: gave up after 4 attempts; "
                + "last: Resend answered 503 service_unavailable: Try again later.";
        assertEquals(reason, DeadLetters.reason(deadLetter));
        assertEquals(paymentFailed, deadLetter.value());
        List<LoggedRequest> attempts = requestsTo(billing).stream().filter(r -> body(r).get("subject").asText().contains("payment of")).toList();
        assertEquals(4, attempts.size());
        assertEquals(1, attempts.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        given().auth().oauth2(InternalTokens.mint(org, "sam", "read")).when().get("/v1/notifications").then()
                .statusCode(200)
                .body("items.find { it.kind == 'payment_failed' }.status", Matchers.equalTo("failed"))
                .body("items.find { it.kind == 'payment_failed' }.failureReason", Matchers.equalTo(reason))
                .body("items.find { it.kind == 'welcome' }.status", Matchers.equalTo("sent"));

        // the storm ends; the operator replays the dead letter: the e-mail goes out once, under the same key
        resend.removeStub(storm);
        Kafka.produce(kafka, Topics.BILLING, org, 2, paymentFailed);
        Kafka.awaitConsumed();
        List<LoggedRequest> afterReplay = requestsTo(billing).stream().filter(r -> body(r).get("subject").asText().contains("payment of")).toList();
        assertEquals(5, afterReplay.size());
        assertEquals(1, afterReplay.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        assertContains(body(afterReplay.getLast()).get("text").asText(), "We could not collect €42.00 for invoice in_9009 (attempt 1).\n"
                + "We will not retry automatically.");
        given().auth().oauth2(InternalTokens.mint(org, "sam", "read")).when().get("/v1/notifications").then()
                .statusCode(200)
                .body("items.find { it.kind == 'payment_failed' }.status", Matchers.equalTo("sent"));
        deadLetters.close();
    }

    @Test
    void aPermanentRefusalIsNotRetriedAndIsDeadLetteredWithResendsReason() {
        String org = "org_resend_invalid";
        String billing = "not-deliverable@invalid.example";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.NOTIFICATION_DLQ);
        resend.stubFor(post(urlEqualTo("/emails")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to[0]", equalTo(billing)))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"Invalid `to` field.\"}")));
        Kafka.produce(kafka, Topics.ORGS, org, 1, Kafka.event("40000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Invalid Co", List.of(billing), "ivy", "ivy@invalid.example")));

        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, Kafka.deadLettersOf(deadLetters.getRecords(), org).size()));
        assertEquals("e-mail welcome to not-deliverable@invalid.example failed: Resend answered 422 validation_error: Invalid `to` field.",
                DeadLetters.reason(Kafka.deadLettersOf(deadLetters.getRecords(), org).getFirst()));
        assertEquals(1, requestsTo(billing).size());
        // the recipients were recorded before the welcome was attempted
        given().auth().oauth2(InternalTokens.mint(org, "ivy", "read")).when().get("/v1/notification-settings").then()
                .statusCode(200).body("recipients", Matchers.equalTo(List.of(billing)));
        deadLetters.close();
    }

    @Test
    void usageEmailsCanBeTurnedOffButPaymentEmailsCannot() {
        String org = "org_resend_quiet";
        String billing = "billing@quiet.example";
        Kafka.produce(kafka, Topics.ORGS, org, 1, Kafka.event("50000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Quiet", List.of(billing), "quinn", "quinn@quiet.example")));
        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, requestsTo(billing).size()));

        given().auth().oauth2(InternalTokens.mint(org, "quinn", "read")).contentType("application/json").body("{\"usageEmails\":false}")
                .when().put("/v1/notification-settings").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.mint(org, "quinn", "admin")).contentType("application/json").body("{}")
                .when().put("/v1/notification-settings").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", Matchers.equalTo(List.of("usageEmails")));
        given().auth().oauth2(InternalTokens.mint(org, "quinn", "admin")).contentType("application/json").body("{\"usageEmails\":")
                .when().put("/v1/notification-settings").then().statusCode(400).contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/malformed-json"));
        given().auth().oauth2(InternalTokens.mint("org_never_seen", "quinn", "admin")).contentType("application/json")
                .body("{\"usageEmails\":false}")
                .when().put("/v1/notification-settings").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.mint(org, "quinn", "admin")).contentType("application/json").body("{\"usageEmails\":false}")
                .when().put("/v1/notification-settings").then().statusCode(200)
                .body("usageEmails", Matchers.equalTo(false))
                .body("recipients", Matchers.equalTo(List.of(billing)));

        Kafka.produce(kafka, Topics.USAGE, org, 1, Kafka.event("50000000-0000-4000-8000-000000000002", org,
                new UsageThresholdCrossed(70, 700, 1000, "developer", PERIOD_START, PERIOD_END)));
        Kafka.produce(kafka, Topics.BILLING, org, 1, Kafka.event("50000000-0000-4000-8000-000000000003", org,
                new PaymentFailed("in_5005", 900, "usd", 1, null, null)));
        Kafka.awaitConsumed();

        assertEquals(List.of("Welcome to DriftLock, Quiet", "Quiet: payment of $9.00 failed"),
                requestsTo(billing).stream().map(r -> body(r).get("subject").asText()).toList());
    }

    @Test
    void anEventOfAnOrgWithoutKnownRecipientsIsRetriedThenDeadLettered() {
        String org = "org_resend_unknown";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.NOTIFICATION_DLQ);
        Kafka.produce(kafka, Topics.USAGE, org, 1, Kafka.event("60000000-0000-4000-8000-000000000001", org,
                new UsageThresholdCrossed(70, 700, 1000, "developer", PERIOD_START, PERIOD_END)));
        Eventually.assertThat(Kafka.WAIT, () -> assertEquals(1, Kafka.deadLettersOf(deadLetters.getRecords(), org).size()));
        assertEquals("no recipients known for org org_resend_unknown (no org event consumed yet)",
                DeadLetters.reason(Kafka.deadLettersOf(deadLetters.getRecords(), org).getFirst()));
        deadLetters.close();
    }

    @Test
    void signedDeliveryWebhooksMoveSentEmailsToDeliveredOrBounced() throws Exception {
        String org = "org_resend_hooks";
        String delivered = "ops@hooks.example";
        String bounced = "gone@hooks.example";
        Kafka.produce(kafka, Topics.ORGS, org, 1, Kafka.event("80000000-0000-4000-8000-000000000001", org,
                new OrgCreated("Hooks", List.of(delivered, bounced), "hana", "hana@hooks.example")));
        Eventually.assertThat(Kafka.WAIT, () -> given().auth().oauth2(InternalTokens.mint(org, "hana", "read")).when().get("/v1/notifications")
                .then().statusCode(200).body("items.status", Matchers.equalTo(List.of("sent", "sent"))));
        JsonPath log = given().auth().oauth2(InternalTokens.mint(org, "hana", "read")).when().get("/v1/notifications")
                .then().extract().jsonPath();
        String deliveredId = log.getString("items.find { it.recipient == '" + delivered + "' }.providerId");
        String bouncedId = log.getString("items.find { it.recipient == '" + bounced + "' }.providerId");

        webhook("msg_d1", "{\"type\":\"email.delivered\",\"data\":{\"email_id\":\"" + deliveredId + "\"}}").statusCode(204);
        webhook("msg_d1", "{\"type\":\"email.delivered\",\"data\":{\"email_id\":\"" + deliveredId + "\"}}").statusCode(204);
        webhook("msg_b1", "{\"type\":\"email.bounced\",\"data\":{\"email_id\":\"" + bouncedId
                + "\",\"bounce\":{\"message\":\"The recipient's mailbox does not exist.\",\"type\":\"Permanent\"}}}").statusCode(204);
        webhook("msg_o1", "{\"type\":\"email.opened\",\"data\":{\"email_id\":\"" + deliveredId + "\"}}").statusCode(204);
        webhook("msg_u1", "{\"type\":\"email.delivered\",\"data\":{\"email_id\":\"re_not_ours\"}}").statusCode(404)
                .contentType("application/problem+json");
        given().header("svix-id", "msg_x").header("svix-timestamp", String.valueOf(Instant.now().getEpochSecond()))
                .header("svix-signature", "v1,Zm9yZ2Vk").contentType("application/json")
                .body("{\"type\":\"email.delivered\",\"data\":{\"email_id\":\"" + deliveredId + "\"}}")
                .when().post("/webhooks/resend").then().statusCode(401).contentType("application/problem+json");

        given().auth().oauth2(InternalTokens.mint(org, "hana", "read")).when().get("/v1/notifications").then()
                .statusCode(200)
                .body("items.find { it.recipient == '" + delivered + "' }.status", Matchers.equalTo("delivered"))
                .body("items.find { it.recipient == '" + bounced + "' }.status", Matchers.equalTo("bounced"))
                .body("items.find { it.recipient == '" + bounced + "' }.failureReason",
                        Matchers.equalTo("bounced: The recipient's mailbox does not exist."));
    }

    /** Posts a webhook signed the way Resend (Svix) signs it, with the test secret. */
    private static io.restassured.response.ValidatableResponse webhook(String id, String body) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("driftlock-test-webhook-secret-32".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return given().header("svix-id", id).header("svix-timestamp", timestamp).header("svix-signature", "v1," + signature)
                .contentType("application/json").body(body).when().post("/webhooks/resend").then();
    }

    private static QuotaStateChanged capReached() {
        return new QuotaStateChanged("blocked", "cap_reached", "hard_cap", 1200, 1000, 120, PERIOD_END, "Usage cap reached");
    }

    private List<LoggedRequest> requestsTo(String recipient) {
        return resend.findAll(postRequestedFor(urlEqualTo("/emails")).withRequestBody(matchingJsonPath("$.to[0]", equalTo(recipient))));
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), () -> "expected\n" + expected + "\nin\n" + text);
    }
}
