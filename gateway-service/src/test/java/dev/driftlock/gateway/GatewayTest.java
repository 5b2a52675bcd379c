package dev.driftlock.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
    WireMockServer upstream = UpstreamStubTestResource.server();

    @Inject
    Pool pool;

    @Test
    void signUpCreatesTheOrgWithItsOwnerAndAnnouncesCreatedAndUpdatedThroughTheOutbox() {
        ConsumerTask<String, String> orgs = kafka.consumeStrings().fromTopics(Topics.ORGS);
        String org = Accounts.signUp("user-olga", "Olga Analytics");

        given().auth().oauth2(Accounts.userToken("user-olga")).when().get("/v1/orgs/" + org).then()
                .statusCode(200)
                .body("name", Matchers.equalTo("Olga Analytics"))
                .body("role", Matchers.equalTo("owner"))
                .body("plan", Matchers.equalTo("developer"))
                .body("revision", Matchers.equalTo(1));
        given().auth().oauth2(Accounts.userToken("user-olga")).contentType("application/json")
                .body(Map.of("name", "Olga Analytics GmbH", "billingEmails", List.of("invoices@olga.example", "cfo@olga.example")))
                .when().patch("/v1/orgs/" + org).then()
                .statusCode(200)
                .body("revision", Matchers.equalTo(2));

        Eventually.assertThat(() -> assertEquals(2, orgs.getRecords().stream().filter(r -> org.equals(r.key())).count()));
        List<ConsumerRecord<String, String>> records = orgs.getRecords().stream().filter(r -> org.equals(r.key())).toList();
        orgs.close();
        Envelope<DriftlockEvent> created = EventJson.read(records.get(0).value());
        Envelope<DriftlockEvent> updated = EventJson.read(records.get(1).value());
        assertEquals(org, created.orgId());
        assertEquals(new OrgCreated("Olga Analytics", List.of("billing@user-olga.example"), "user-olga", null), created.data());
        assertEquals(new OrgUpdated("Olga Analytics GmbH", List.of("invoices@olga.example", "cfo@olga.example"), 2), updated.data());
    }

    @Test
    void signUpRejectsInvalidValuesWith422() {
        given().auth().oauth2(Accounts.userToken("user-vera")).contentType("application/json")
                .body(Map.of("name", "", "billingEmails", List.of("not-an-email")))
                .when().post("/v1/orgs").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", Matchers.equalTo(List.of("billingEmails[0]", "name")));
    }

    @Test
    void anIngestKeyReachesDetectionWithAMintedInternalTokenAndNoClientCredentialsOrInternalHeaders() throws Exception {
        String org = Accounts.signUp("user-alice", "Alice Metrics");
        String key = Accounts.createKey("user-alice", org, List.of("ingest"), null);
        assertTrue(key.matches("dlk_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}"), key);
        upstream.stubFor(post(urlEqualTo("/v1/streams/checkout-latency/events?dryRun=false"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("{\"accepted\":2}")));
        String events = """
                {"ts":"2026-11-21T10:00:00Z","value":120.5}
                {"ts":"2026-11-21T10:00:01Z","value":9000.0}
                """;

        given().header("X-Api-Key", key)
                .header("X-Internal-Org", "org_someone_else")
                .header("X-DriftLock-Caller", "admin")
                .header("Cookie", "session=stolen")
                .header("X-Request-Id", "req-alice-1")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .contentType("application/x-ndjson").body(events.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/streams/checkout-latency/events?dryRun=false").then()
                .statusCode(202)
                .header("X-Request-Id", "req-alice-1")
                .header("RateLimit-Policy", "\"key\";q=600;w=60, \"org\";q=1200;w=60")
                .header("RateLimit", startsWith("\"key\";r=599;t="))
                .body("accepted", Matchers.equalTo(2));

        LoggedRequest forwarded = upstream.findAll(postRequestedFor(urlPathEqualTo("/v1/streams/checkout-latency/events"))).getLast();
        assertEquals(events, forwarded.getBodyAsString());
        assertEquals("req-alice-1", forwarded.getHeader("X-Request-Id"));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", forwarded.getHeader("traceparent"));
        assertFalse(forwarded.containsHeader("X-Api-Key"));
        assertFalse(forwarded.containsHeader("X-Internal-Org"));
        assertFalse(forwarded.containsHeader("X-DriftLock-Caller"));
        assertFalse(forwarded.containsHeader("Cookie"));
        JsonNode claims = internalTokenClaims(forwarded);
        assertEquals("driftlock-gateway", claims.get("iss").asText());
        assertEquals("driftlock-services", claims.get("aud").isArray() ? claims.get("aud").get(0).asText() : claims.get("aud").asText());
        assertEquals(org, claims.get("org").asText());
        assertEquals("key:" + key.substring(9, 17), claims.get("sub").asText());
        assertEquals("[\"ingest\"]", claims.get("groups").toString());
        assertEquals(60, claims.get("exp").asLong() - claims.get("iat").asLong());

        // the same key as a bearer token works too, and the last-used time is recorded
        given().auth().oauth2(key).contentType("application/x-ndjson").body(events.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/streams/checkout-latency/events?dryRun=false").then().statusCode(202);
        given().auth().oauth2(Accounts.userToken("user-alice")).when().get("/v1/orgs/" + org + "/api-keys").then()
                .statusCode(200)
                .body("[0].scopes", Matchers.equalTo(List.of("ingest")))
                .body("[0].lastUsedAt", notNullValue())
                .body("[0].key", Matchers.nullValue());
    }

    @Test
    void wrongRevokedAndWrongScopeKeysGet401Or403AsProblemJson() {
        String org = Accounts.signUp("user-bruno", "Bruno Ops");
        String readKey = Accounts.createKey("user-bruno", org, List.of("read"), null);
        String ingestKey = Accounts.createKey("user-bruno", org, List.of("ingest"), null);
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/bruno-cpu/events")).willReturn(aResponse().withStatus(202)));

        given().header("X-Api-Key", ingestKey.substring(0, ingestKey.length() - 1) + (ingestKey.endsWith("A") ? "B" : "A"))
                .body("{}").when().post("/v1/streams/bruno-cpu/events").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/unauthenticated"));
        given().header("X-Api-Key", "not-a-key").body("{}").when().post("/v1/streams/bruno-cpu/events").then().statusCode(401);
        given().body("{}").when().post("/v1/streams/bruno-cpu/events").then().statusCode(401);
        given().header("X-Api-Key", readKey).body("{}").when().post("/v1/streams/bruno-cpu/events").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", Matchers.equalTo("This POST needs scope ingest; these credentials have read."));

        given().header("X-Api-Key", ingestKey).body("{}").when().post("/v1/streams/bruno-cpu/events").then().statusCode(202);
        String keyId = ingestKey.substring(9, 17);
        given().auth().oauth2(Accounts.userToken("user-bruno")).when().delete("/v1/orgs/" + org + "/api-keys/" + keyId).then().statusCode(204);
        given().header("X-Api-Key", ingestKey).body("{}").when().post("/v1/streams/bruno-cpu/events").then().statusCode(401);

        given().auth().oauth2(Accounts.userToken("user-bruno")).when().get("/v1/orgs/" + org + "/audit").then()
                .statusCode(200)
                .body("action", Matchers.equalTo(List.of("api_key.revoked", "api_key.created", "api_key.created", "org.created")))
                .body("[0].target", Matchers.equalTo(keyId))
                .body("[0].actor", Matchers.equalTo("user-bruno"));
    }

    @Test
    void orgAsKeyNeverReachesOrgBsData() throws Exception {
        String orgA = Accounts.signUp("user-anna", "Anna A");
        String orgB = Accounts.signUp("user-boris", "Boris B");
        String adminKeyA = Accounts.createKey("user-anna", orgA, List.of("admin", "read"), null);
        upstream.stubFor(get(urlPathEqualTo("/v1/anomalies")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));

        given().header("X-Api-Key", adminKeyA).when().get("/v1/orgs/" + orgB + "/api-keys").then().statusCode(404);
        given().header("X-Api-Key", adminKeyA).when().get("/v1/orgs/" + orgB).then().statusCode(404);
        given().auth().oauth2(Accounts.userToken("user-anna")).when().get("/v1/orgs/" + orgB + "/members").then().statusCode(404);
        // a client-sent org header does not move a key to another org
        given().header("X-Api-Key", adminKeyA).header("X-DriftLock-Org", orgB).when().get("/v1/anomalies?org=" + orgB).then().statusCode(200);
        LoggedRequest forwarded = upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/anomalies"))).getLast();
        assertEquals(orgA, internalTokenClaims(forwarded).get("org").asText());
        assertFalse(forwarded.containsHeader("X-DriftLock-Org"));
    }

    @Test
    void aFalsePositivePatchReachesDetectionWithItsBodyForAnAdminKeyAndItsProblemsComeBack() throws Exception {
        String org = Accounts.signUp("user-fiona", "Fiona False");
        String adminKey = Accounts.createKey("user-fiona", org, List.of("admin", "read"), null);
        String readKey = Accounts.createKey("user-fiona", org, List.of("read"), null);
        String id = "6f1c3a52-93d4-3e1b-8a77-2c4f5e6d7a80";
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlPathEqualTo("/v1/anomalies/" + id))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + id + "\",\"status\":\"false_positive\",\"events\":40}")));
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlPathEqualTo("/v1/anomalies/unknown"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404,\"detail\":\"no anomaly unknown in your organization\"}")));
        String body = """
                {"status":"false_positive"}""";

        given().header("X-Api-Key", adminKey).contentType("application/json").body(body)
                .when().patch("/v1/anomalies/" + id).then().statusCode(200)
                .body("status", Matchers.equalTo("false_positive")).body("events", Matchers.equalTo(40));
        List<LoggedRequest> forwarded = upstream.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlPathEqualTo("/v1/anomalies/" + id)));
        assertEquals(1, forwarded.size());
        assertEquals(body, forwarded.getFirst().getBodyAsString());
        assertTrue(forwarded.getFirst().getHeader("Content-Type").startsWith("application/json"));
        assertEquals(org, internalTokenClaims(forwarded.getFirst()).get("org").asText());

        // Unknown ids: the upstream's problem comes back as it is.
        given().header("X-Api-Key", adminKey).contentType("application/json").body(body)
                .when().patch("/v1/anomalies/unknown").then().statusCode(404).contentType("application/problem+json")
                .body("detail", Matchers.equalTo("no anomaly unknown in your organization"));
        // A read-only key may not change an anomaly: refused at the gateway, never forwarded.
        given().header("X-Api-Key", readKey).contentType("application/json").body(body)
                .when().patch("/v1/anomalies/" + id).then().statusCode(403).contentType("application/problem+json");
        assertEquals(1, upstream.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlPathEqualTo("/v1/anomalies/" + id))).size());
    }

    @Test
    void aStreamRestrictedKeyOnlyTouchesItsStreams() {
        String org = Accounts.signUp("user-stella", "Stella Streams");
        String key = Accounts.createKey("user-stella", org, List.of("ingest"), List.of("orders"));
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/orders/events")).willReturn(aResponse().withStatus(202)));

        given().header("X-Api-Key", key).body("{}").when().post("/v1/streams/orders/events").then().statusCode(202);
        given().header("X-Api-Key", key).body("{}").when().post("/v1/streams/payments/events").then()
                .statusCode(403)
                .body("detail", Matchers.equalTo("This API key is restricted to the streams orders."));
    }

    @Test
    void serverSentEventsStreamThroughAndUsersActForTheirOrg() throws Exception {
        String org = Accounts.signUp("user-sam", "Sam SSE");
        String sse = "event: anomaly\ndata: {\"id\":\"a1\"}\n\nevent: anomaly\ndata: {\"id\":\"a2\"}\n\n";
        upstream.stubFor(get(urlPathEqualTo("/v1/stream/anomalies")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(sse).withChunkedDribbleDelay(4, 400)));

        given().auth().oauth2(Accounts.userToken("user-sam")).when().get("/v1/stream/anomalies").then()
                .statusCode(200)
                .contentType(startsWith("text/event-stream"))
                .body(Matchers.equalTo(sse));
        LoggedRequest forwarded = upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/stream/anomalies"))).getLast();
        JsonNode claims = internalTokenClaims(forwarded);
        assertEquals(org, claims.get("org").asText());
        assertEquals("user-sam", claims.get("sub").asText());
    }

    @Test
    void stripeWebhooksPassUnauthenticatedWithTheRawBodyIntact() {
        String payload = "{\"id\":\"evt_1\",  \"type\":\"invoice.paid\",\n \"data\":{\"object\":{\"amount_paid\":4900}}}";
        upstream.stubFor(post(urlEqualTo("/webhooks/stripe")).willReturn(aResponse().withStatus(200)));

        given().header("Stripe-Signature", "t=1700000000,v1=abc123").header("Authorization", "Bearer sneaky")
                .contentType("application/json; charset=utf-8").body(payload.getBytes(StandardCharsets.UTF_8))
                .when().post("/webhooks/stripe").then().statusCode(200);

        LoggedRequest forwarded = upstream.findAll(postRequestedFor(urlEqualTo("/webhooks/stripe"))).getLast();
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), forwarded.getBody());
        assertEquals("t=1700000000,v1=abc123", forwarded.getHeader("Stripe-Signature"));
        assertFalse(forwarded.containsHeader("Authorization"));
    }

    @Test
    void aBlockedOrgGets429Or402OnIngestWithinSecondsWhileReadsStillWork() {
        String org = Accounts.signUp("user-quinn", "Quinn Quota");
        String key = Accounts.createKey("user-quinn", org, List.of("ingest", "read"), null);
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/quinn-temp/events")).willReturn(aResponse().withStatus(202)));
        upstream.stubFor(get(urlPathEqualTo("/v1/anomalies")).willReturn(aResponse().withStatus(200).withBody("[]")));
        given().header("X-Api-Key", key).body("{}").when().post("/v1/streams/quinn-temp/events").then().statusCode(202);

        Instant at = Instant.now();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.QUOTA_STATE, org, EventJson.write(Envelope.of(UUID.randomUUID(), org, at,
                new QuotaStateChanged("blocked", "cap_reached", "hard_cap", 1000, 1000, 100, Instant.parse("2026-12-01T00:00:00Z"),
                        "Your Developer plan's 1,000 anomalies are used up."))))).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(10), () -> given().header("X-Api-Key", key).body("{}")
                .when().post("/v1/streams/quinn-temp/events").then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/quota-exceeded"))
                .body("detail", startsWith("Your Developer plan's 1,000 anomalies are used up. Ingestion is paused until the period ends")));
        given().header("X-Api-Key", key).contentType("application/json").body("{\"points\":[1,2,3]}").when().post("/v1/detect").then().statusCode(429);
        given().header("X-Api-Key", key).when().get("/v1/anomalies").then().statusCode(200);

        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.QUOTA_STATE, org, EventJson.write(Envelope.of(UUID.randomUUID(), org,
                at.plusSeconds(1), new QuotaStateChanged("blocked", "payment_suspended", "hard_cap", 1000, 1000, 100,
                        Instant.parse("2026-12-01T00:00:00Z"), "Your last invoice is unpaid."))))).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(10), () -> given().header("X-Api-Key", key).body("{}")
                .when().post("/v1/streams/quinn-temp/events").then()
                .statusCode(402)
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/payment-suspended"))
                .body("title", Matchers.equalTo("Payment suspended")));
        given().header("X-Api-Key", key).when().get("/v1/anomalies").then().statusCode(200);
    }

    @Test
    void rateLimitHeadersAreExactAndTheFourthRequestOfATinyPlanGets429WithRetryAfter() {
        String org = Accounts.signUp("user-tina", "Tina Tiny");
        pool.preparedQuery("UPDATE org SET plan = 'tiny' WHERE id = $1").execute(Tuple.of(org)).await().indefinitely();
        String key = Accounts.createKey("user-tina", org, List.of("read"), null);
        upstream.stubFor(get(urlPathEqualTo("/v1/usage")).willReturn(aResponse().withStatus(200).withBody("{}")));

        List<Response> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(given().header("X-Api-Key", key).when().get("/v1/usage"));
        }
        for (Response answer : answers) {
            assertEquals("\"key\";q=3;w=60, \"org\";q=5;w=60", answer.header("RateLimit-Policy"));
        }
        assertEquals(List.of(200, 200, 200, 429), answers.stream().map(Response::statusCode).toList());
        assertEquals("\"key\";r=2;t=20", answers.get(0).header("RateLimit"));
        assertEquals("\"key\";r=1;t=40", answers.get(1).header("RateLimit"));
        assertEquals("\"key\";r=0;t=60", answers.get(2).header("RateLimit"));
        assertEquals("\"key\";r=0;t=60", answers.get(3).header("RateLimit"));
        assertEquals("20", answers.get(3).header("Retry-After"));
        assertNull(answers.get(2).header("Retry-After"));
        answers.get(3).then().contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/rate-limited"));
    }

    @Test
    void ownersManageMembersWhoActWithTheirRoleAndEveryChangeIsAudited() {
        String org = Accounts.signUp("user-owen", "Owen Org");
        given().auth().oauth2(Accounts.userToken("user-owen")).contentType("application/json")
                .body(Map.of("role", "member", "email", "mia@owen.example"))
                .when().put("/v1/orgs/" + org + "/members/user-mia").then()
                .statusCode(200)
                .body("role", Matchers.equalTo("member"));

        given().auth().oauth2(Accounts.userToken("user-mia")).when().get("/v1/orgs").then()
                .statusCode(200)
                .body("id", Matchers.equalTo(List.of(org)))
                .body("role", Matchers.equalTo(List.of("member")));
        given().auth().oauth2(Accounts.userToken("user-mia")).contentType("application/json")
                .body(Map.of("name", "mine", "scopes", List.of("admin")))
                .when().post("/v1/orgs/" + org + "/api-keys").then().statusCode(403);
        given().auth().oauth2(Accounts.userToken("user-owen")).contentType("application/json").body(Map.of("role", "admin"))
                .when().put("/v1/orgs/" + org + "/members/user-mia").then().statusCode(200);
        given().auth().oauth2(Accounts.userToken("user-mia")).contentType("application/json").body(Map.of("role", "member"))
                .when().put("/v1/orgs/" + org + "/members/user-owen").then()
                .statusCode(403)
                .body("detail", Matchers.equalTo("Only an owner can grant or take away the owner role."));
        given().auth().oauth2(Accounts.userToken("user-owen")).when().delete("/v1/orgs/" + org + "/members/user-owen").then()
                .statusCode(403)
                .body("detail", Matchers.equalTo("An org needs at least one owner: make someone else owner first."));
        given().auth().oauth2(Accounts.userToken("user-owen")).when().delete("/v1/orgs/" + org + "/members/user-mia").then().statusCode(204);
        given().auth().oauth2(Accounts.userToken("user-mia")).when().get("/v1/orgs/" + org).then().statusCode(404);

        given().auth().oauth2(Accounts.userToken("user-owen")).when().get("/v1/orgs/" + org + "/audit").then()
                .statusCode(200)
                .body("action", Matchers.equalTo(List.of("member.removed", "member.role_changed", "member.added", "org.created")))
                .body("detail", Matchers.equalTo(List.of("admin", "member -> admin", "member", "Owen Org")));
    }

    @Test
    void responsesCarrySecurityHeadersCorsFollowsTheAllowListAndLargeBodiesGet413() {
        given().when().get("/v1/quota-state").then()
                .statusCode(401)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .body(Matchers.not(containsString("Exception")));
        given().header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "POST")
                .when().options("/v1/streams/x/events").then()
                .header("Access-Control-Allow-Origin", "http://localhost:3000");
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .when().options("/v1/streams/x/events").then()
                .header("Access-Control-Allow-Origin", Matchers.nullValue());

        String org = Accounts.signUp("user-lars", "Lars Large");
        String key = Accounts.createKey("user-lars", org, List.of("ingest"), null);
        given().header("X-Api-Key", key).body(new byte[1_048_577]).when().post("/v1/streams/lars/events").then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/payload-too-large"));
    }

    @Test
    void anUnreachableUpstreamGives502ProblemJson() {
        String org = Accounts.signUp("user-ursula", "Ursula Upstream");
        String key = Accounts.createKey("user-ursula", org, List.of("read"), null);
        upstream.stubFor(get(urlPathEqualTo("/v1/notifications")).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        given().header("X-Api-Key", key).when().get("/v1/notifications").then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/upstream-unreachable"));
    }

    private static JsonNode internalTokenClaims(LoggedRequest forwarded) throws Exception {
        String authorization = forwarded.getHeader("Authorization");
        assertTrue(authorization.startsWith("Bearer "), authorization);
        String jwt = authorization.substring("Bearer ".length());
        assertTrue(SigningKeyTestResource.signedByGateway(jwt), "signed by the gateway's key");
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
