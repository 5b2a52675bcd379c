package dev.driftlock.metering;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Topics;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Quota policy validation, the history series and poison records in an anomaly batch. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class UsageApiTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void aFreeOrgGetsTheHardCapByDefault() {
        given().auth().oauth2(InternalTokens.mint("org_defaults", "alice", "admin")).when().get("/v1/quota-policy").then()
                .statusCode(200)
                .body("policy", equalTo("hard_cap"))
                .body("capPercent", equalTo(120))
                .body("invoiceThresholdCents", equalTo(50000))
                .body("source", equalTo("plan-default"));
        given().auth().oauth2(InternalTokens.mint("org_defaults", "alice", "read")).when().get("/v1/quota-policy").then()
                .statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aPolicyIsStoredPerOrg() {
        given().auth().oauth2(InternalTokens.mint("org_soft", "alice", "admin")).contentType("application/json")
                .body("""
                        {"policy": "soft_cap", "capPercent": 150, "invoiceThresholdCents": 25000}""")
                .when().put("/v1/quota-policy").then()
                .statusCode(200)
                .body("policy", equalTo("soft_cap"))
                .body("capPercent", equalTo(150))
                .body("invoiceThresholdCents", equalTo(25000))
                .body("source", equalTo("org"));
        given().auth().oauth2(InternalTokens.mint("org_soft", "alice", "admin")).when().get("/v1/quota-policy").then()
                .statusCode(200).body("policy", equalTo("soft_cap")).body("capPercent", equalTo(150));
    }

    @Test
    void badPolicyValuesGetProblem422WithEveryInvalidField() {
        given().auth().oauth2(InternalTokens.mint("org_bad_policy", "alice", "admin")).contentType("application/json")
                .body("""
                        {"policy": "unlimited", "capPercent": 99, "invoiceThresholdCents": 5}""")
                .when().put("/v1/quota-policy").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/validation"))
                .body("errors.field", equalTo(List.of("capPercent", "invoiceThresholdCents", "policy")))
                .body("errors.message", equalTo(List.of("must be greater than or equal to 100",
                        "must be greater than or equal to 1000", "must be one of allow, soft_cap, hard_cap")));
        given().auth().oauth2(InternalTokens.mint("org_bad_policy", "alice", "admin")).contentType("application/json")
                .body("""
                        {"capPercent": 1001}""")
                .when().put("/v1/quota-policy").then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("capPercent", "policy")));
        given().auth().oauth2(InternalTokens.mint("org_bad_policy", "alice", "read")).contentType("application/json")
                .body("""
                        {"policy": "allow"}""")
                .when().put("/v1/quota-policy").then()
                .statusCode(403);
        given().auth().oauth2(InternalTokens.mint("org_bad_policy", "alice", "admin")).when().get("/v1/quota-policy").then()
                .statusCode(200).body("source", equalTo("plan-default"));
    }

    @Test
    void historyIsADailySeriesOfAnomaliesAndIngestedEvents() {
        String org = "org_history";
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant yesterdayNoon = today.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        Instant todayStart = today.atStartOfDay().toInstant(ZoneOffset.UTC);
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.INGESTION, org, TestEvents.ingested("history-batch-1", org, 250, yesterdayNoon)),
                new ProducerRecord<>(Topics.INGESTION, org, TestEvents.ingested("history-batch-1", org, 250, yesterdayNoon)),
                new ProducerRecord<>(Topics.INGESTION, org, TestEvents.ingested("history-batch-2", org, 40, todayStart)),
                new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(TestEvents.id("history-a1"), org, yesterdayNoon)),
                new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(TestEvents.id("history-a2"), org, todayStart)),
                new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(TestEvents.id("history-a2"), org, todayStart)))
                .awaitCompletion();

        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read"))
                .queryParam("from", today.minusDays(2).toString()).queryParam("to", today.toString())
                .when().get("/v1/usage/history").then()
                .statusCode(200)
                .body("from", equalTo(today.minusDays(2).toString()))
                .body("days", equalTo(List.of(
                        Map.of("date", today.minusDays(2).toString(), "anomalies", 0, "ingestedEvents", 0),
                        Map.of("date", today.minusDays(1).toString(), "anomalies", 1, "ingestedEvents", 250),
                        Map.of("date", today.toString(), "anomalies", 1, "ingestedEvents", 40)))));
        given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/usage/history").then()
                .statusCode(200).body("days.size()", equalTo(30)).body("to", equalTo(today.toString()));
    }

    @Test
    void badHistoryRangesGetProblem422() {
        given().auth().oauth2(InternalTokens.mint("org_history", "alice", "read")).queryParam("from", "2026-11-21")
                .queryParam("to", "2026-11-01").when().get("/v1/usage/history").then()
                .statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("'from' (2026-11-21) must not be after 'to' (2026-11-01)."));
        given().auth().oauth2(InternalTokens.mint("org_history", "alice", "read")).queryParam("from", "21.11.2026")
                .when().get("/v1/usage/history").then()
                .statusCode(422)
                .body("detail", equalTo("'from' must be an ISO date such as 2026-11-21, got '21.11.2026'."));
        given().auth().oauth2(InternalTokens.mint("org_history", "alice", "read")).queryParam("from", "2024-01-01")
                .queryParam("to", "2026-01-01").when().get("/v1/usage/history").then()
                .statusCode(422);
    }

    @Test
    void aPoisonRecordInABatchIsDeadLetteredAndTheRestIsCounted() {
        String org = "org_poison";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.METERING_DLQ);
        Instant now = Instant.now();
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.ANOMALIES, 2, org, TestEvents.anomaly(TestEvents.id("poison-good-1"), org, now)),
                new ProducerRecord<>(Topics.ANOMALIES, 2, org, "{\"type\":\"anomaly.detected\",\"data\":[]}"),
                new ProducerRecord<>(Topics.ANOMALIES, 2, org, "not json at all"),
                new ProducerRecord<>(Topics.ANOMALIES, 2, org, TestEvents.anomaly(TestEvents.id("poison-good-2"), org, now)))
                .awaitCompletion();

        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/usage").then()
                .statusCode(200).body("usedAnomalies", equalTo(2)));
        Eventually.assertThat(() -> assertEquals(List.of("'data' must be a JSON object",
                        "not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).map(DeadLetters::reason).toList()));
        ConsumerRecord<String, String> first = deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).findFirst().orElseThrow();
        assertEquals(Topics.ANOMALIES, header(first, "dead-letter-topic"));
        assertEquals("2", header(first, "dead-letter-partition"));
        deadLetters.close();
    }

    @Test
    void poisonRecordsOnTheIngestionAndBillingTopicsAreDeadLetteredAndTheirPartitionsMoveOn() {
        String org = "org_poison_other_topics";
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(Topics.METERING_DLQ);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant todayStart = today.atStartOfDay().toInstant(ZoneOffset.UTC);
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.INGESTION, 1, org, "not json at all"),
                new ProducerRecord<>(Topics.INGESTION, 1, org, TestEvents.ingested("poison-after", org, 17, todayStart)),
                new ProducerRecord<>(Topics.BILLING, 1, org, "{\"type\":\"billing.subscription_changed\",\"data\":[]}"),
                new ProducerRecord<>(Topics.BILLING, 1, org,
                        TestEvents.subscription("poison-after-sub", org, "standard", 50_000, 1_000,
                                todayStart.minus(java.time.Duration.ofDays(3)), todayStart.plus(java.time.Duration.ofDays(27)), 1)))
                .awaitCompletion();

        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read"))
                .queryParam("from", today.toString()).queryParam("to", today.toString())
                .when().get("/v1/usage/history").then()
                .statusCode(200)
                .body("days", equalTo(List.of(Map.of("date", today.toString(), "anomalies", 0, "ingestedEvents", 17)))));
        Eventually.assertThat(() -> given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/usage").then()
                .statusCode(200).body("plan", equalTo("standard")).body("includedAnomalies", equalTo(50_000)));
        Eventually.assertThat(() -> assertEquals(List.of(
                        Topics.BILLING + ": 'data' must be a JSON object",
                        Topics.INGESTION + ": not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                deadLetters.getRecords().stream().filter(r -> org.equals(r.key()))
                        .map(r -> header(r, "dead-letter-topic") + ": " + DeadLetters.reason(r)).sorted().toList()));
        deadLetters.close();
    }

    @Test
    void aMalformedPolicyBodyGetsProblem400() {
        given().auth().oauth2(InternalTokens.mint("org_malformed_policy", "alice", "admin")).contentType("application/json")
                .body("{\"policy\": \"soft_cap\", \"capPercent\": ")
                .when().put("/v1/quota-policy").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/malformed-json"))
                .body("status", equalTo(400))
                .body("detail", org.hamcrest.Matchers.startsWith("The request body is not valid JSON of the expected shape: Unexpected end-of-input"));
        given().auth().oauth2(InternalTokens.mint("org_malformed_policy", "alice", "admin")).when().get("/v1/quota-policy").then()
                .statusCode(200).body("source", equalTo("plan-default"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void usageShowsTheFreePlanForAnOrgWithoutSubscription() {
        given().auth().oauth2(InternalTokens.mint("org_nothing_yet", "alice", "read")).when().get("/v1/usage").then()
                .statusCode(200)
                .body("plan", equalTo("developer"))
                .body("includedAnomalies", equalTo(1000))
                .body("usedAnomalies", equalTo(0))
                .body("estimatedChargesCents", equalTo(0))
                .body("currency", equalTo("usd"))
                .body("thresholdsReached", equalTo(List.of()))
                .body("quota.state", equalTo("ok"))
                .body("quota.policy", equalTo("hard_cap"))
                .body("quota.capPercent", equalTo(100));
    }
}
