package dev.driftlock.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The acceptance path of the whole suite through the gateway, against the REAL detection-service
 * (a child process, see {@link DetectionServiceProcess}): a user signs up, creates a key, ingests a
 * stream whose last event is an incident, and the one anomaly is listed and streamed (SSE); another
 * org's key sees none of it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DetectionServiceProcess.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ordinary API-log events 0..299 calibrate the detector; event 300 is the incident. */
    private static final int NORMAL_EVENTS = 300;
    private static final String STREAM = "checkout-api";
    private static final String INCIDENT_ID = "evt-300";

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void createOrgCreateKeyIngestThroughTheGatewayAndTheAnomalyIsListedAndStreamed() throws Exception {
        String org = Accounts.signUp("user-erin", "Erin End-to-End");
        String key = Accounts.createKey("user-erin", org, List.of("ingest", "read"), null);

        given().header("X-Api-Key", key).contentType("application/json").body(stream())
                .when().post("/v1/streams/" + STREAM + "/events").then()
                .statusCode(202)
                .body("accepted", Matchers.equalTo(NORMAL_EVENTS + 1))
                .body("eventIds[300]", Matchers.equalTo(INCIDENT_ID));

        Eventually.assertThat(Duration.ofSeconds(90), () -> given().header("X-Api-Key", key).when().get("/v1/anomalies").then()
                .statusCode(200)
                .body("items.size()", Matchers.equalTo(1)));
        JsonNode anomaly = JSON.readTree(given().header("X-Api-Key", key).when().get("/v1/anomalies").then()
                .statusCode(200)
                .header("RateLimit-Policy", Matchers.notNullValue())
                .extract().asString()).get("items").get(0);
        assertEquals(STREAM, anomaly.get("streamId").asText());
        assertEquals(INCIDENT_ID, anomaly.get("eventRef").asText());
        assertEquals(300, anomaly.get("position").asLong());
        String anomalyId = anomaly.get("id").asText();

        JsonNode streamed = firstStreamedAnomaly(key);
        assertEquals(anomalyId, streamed.get("id").asText());
        assertEquals(INCIDENT_ID, streamed.get("eventRef").asText());
        assertEquals(STREAM, streamed.get("streamId").asText());

        String otherOrg = Accounts.signUp("user-otto", "Otto Other");
        String otherKey = Accounts.createKey("user-otto", otherOrg, List.of("read"), null);
        given().header("X-Api-Key", otherKey).when().get("/v1/anomalies").then()
                .statusCode(200)
                .body("items.size()", Matchers.equalTo(0));
        given().header("X-Api-Key", otherKey).when().get("/v1/anomalies/" + anomalyId).then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("X-Api-Key", key).when().get("/v1/anomalies/" + anomalyId).then()
                .statusCode(200)
                .body("eventRef", Matchers.equalTo(INCIDENT_ID));
    }

    /** Reads the gateway's SSE feed from the start ({@code Last-Event-ID: 0}) until the first {@code data:} line. */
    private JsonNode firstStreamedAnomaly(String key) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(gateway.toURI().resolve("/v1/stream/anomalies"))
                .header("X-Api-Key", key).header("Last-Event-ID", "0").header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (InputStream body = response.body()) {
            CompletableFuture<String[]> first = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    String event = null;
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring("event:".length()).strip();
                        } else if (line.startsWith("data:")) {
                            return new String[] {event, line.substring("data:".length()).strip()};
                        }
                    }
                    throw new IllegalStateException("the feed ended without an event");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String[] received = first.get(60, TimeUnit.SECONDS);
            assertEquals("anomaly", received[0]);
            return JSON.readTree(received[1]);
        }
    }

    /** A JSON array of {eventId, event}: {@value #NORMAL_EVENTS} ordinary requests, then an out-of-memory failure. */
    private static String stream() {
        StringBuilder body = new StringBuilder("[");
        String[] methods = {"GET", "GET", "GET", "POST"};
        String[] paths = {"/api/orders", "/api/cart", "/api/products", "/api/checkout"};
        for (int i = 0; i <= NORMAL_EVENTS; i++) {
            String event = i < NORMAL_EVENTS
                    ? "{\"method\":\"" + methods[i % 4] + "\",\"path\":\"" + paths[(i / 3) % 4] + "\",\"status\":200,\"ms\":" + (20 + (i * 7) % 23) + "}"
                    : "{\"method\":\"DELETE\",\"path\":\"/admin/export\",\"status\":500,\"ms\":9000,\"error\":\"java.lang.OutOfMemoryError: heap space\"}";
            body.append(i == 0 ? "" : ",").append("{\"eventId\":\"evt-").append(i).append("\",\"event\":").append(event).append('}');
        }
        return body.append(']').toString();
    }
}
