package dev.driftlock.gateway.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.driftlock.gateway.Accounts;
import dev.driftlock.gateway.SigningKeyTestResource;
import dev.driftlock.gateway.UpstreamStubTestResource;
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
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The proxy's behaviour at its edges, through the running gateway against the WireMock upstream:
 * timeouts (504) and the circuit breaker (503) on the test-only upstreams {@code slow-test} and
 * {@code flaky-test} (see {@link UpstreamStubTestResource}), request id and trace context, header
 * stripping, security headers on proxied answers, and the body limit for chunked bodies.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class ProxyRouteTest {

    private static final Pattern UUID_FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

    WireMockServer upstream = UpstreamStubTestResource.server();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void anUpstreamSlowerThanItsTimeoutGets504ProblemJsonWithoutWaitingForIt() {
        String key = readKey("user-sloane", "Sloane Slow");
        upstream.stubFor(get(urlPathEqualTo("/v1/test-slow/report")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(3_000).withBody("{\"late\":true}")));

        long t0 = System.nanoTime();
        given().header("X-Api-Key", key).header("X-Request-Id", "req-sloane-1").when().get("/v1/test-slow/report").then()
                .statusCode(504)
                .contentType("application/problem+json")
                .header("X-Request-Id", "req-sloane-1")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/upstream-timeout"))
                .body("title", Matchers.equalTo("Gateway timeout"))
                .body("status", Matchers.equalTo(504))
                .body("detail", Matchers.equalTo("The slow-test service did not answer in time. Retry later."))
                .body("instance", Matchers.equalTo("/v1/test-slow/report"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the timeout is 300 ms, the upstream answers after 3 s: the 504 must not wait for it
        assertTrue(seconds < 2.5, "504 after " + seconds + " s");
        assertEquals(1, upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/test-slow/report"))).size());
    }

    @Test
    void aTimedOutExchangeIsAbortedSoALateAnswerCannotHoldTheUpstreamConnection() throws Exception {
        String key = readKey("user-sid", "Sid Silent");
        ServerSocket silent = UpstreamStubTestResource.silentServer();
        CompletableFuture<Long> closedAt = CompletableFuture.supplyAsync(() -> {
            try (Socket connection = silent.accept()) {
                connection.setSoTimeout(10_000);
                InputStream in = connection.getInputStream();
                try {
                    while (in.read() != -1) {
                        // the request; then wait for the gateway to close the connection
                    }
                } catch (SocketException reset) {
                    // closed by a TCP reset: closed all the same
                }
                return System.nanoTime();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        given().header("X-Api-Key", key).when().get("/v1/test-silent/report").then()
                .statusCode(504)
                .body("detail", Matchers.equalTo("The silent-test service did not answer in time. Retry later."));
        long answered = System.nanoTime();
        // kept open, the pooled connection would wait for the 120 s idle timeout (read times out after 10 s)
        double seconds = (closedAt.get(15, TimeUnit.SECONDS) - answered) / 1e9;
        assertTrue(seconds < 2, "the upstream connection was closed " + seconds + " s after the 504");
    }

    @Test
    void repeatedFailuresOpenTheCircuitThenCallsGet503WithoutReachingTheUpstreamAndAfterTheDelayItClosesAgain() {
        String key = readKey("user-flora", "Flora Flaky");
        String path = "/v1/test-flaky/items";
        upstream.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        // the breaker opens when half of the last 20 exchanges failed: 20 failures in a row
        for (int i = 0; i < 20; i++) {
            given().header("X-Api-Key", key).when().get(path).then()
                    .statusCode(502)
                    .body("type", Matchers.equalTo("https://driftlock.dev/problems/upstream-unreachable"));
        }
        assertEquals(20, reached(path));
        upstream.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody("[]")));

        given().header("X-Api-Key", key).when().get(path).then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", Matchers.equalTo("https://driftlock.dev/problems/upstream-unavailable"))
                .body("title", Matchers.equalTo("Service unavailable"))
                .body("status", Matchers.equalTo(503))
                .body("detail", Matchers.equalTo(
                        "The flaky-test service is failing; the gateway stopped calling it for a few seconds. Retry later."));
        assertEquals(20, reached(path), "the open circuit let a call through to the upstream");

        // after the 5 s delay the breaker lets probes through; two successes close it
        Eventually.assertThat(Duration.ofSeconds(10), () -> given().header("X-Api-Key", key).when().get(path).then().statusCode(200));
        given().header("X-Api-Key", key).when().get(path).then().statusCode(200);
        // closed (not half-open, where one failure would open it again): a failure now is a 502 and the next call still goes through
        upstream.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        int before = reached(path);
        given().header("X-Api-Key", key).when().get(path).then().statusCode(502);
        given().header("X-Api-Key", key).when().get(path).then().statusCode(502);
        assertEquals(before + 2, reached(path));
    }

    @Test
    void withoutOrWithInvalidRequestIdAndTraceparentTheGatewayForwardsGeneratedOnesAndEchoesTheRequestId() {
        String key = readKey("user-trent", "Trent Trace");
        upstream.stubFor(get(urlPathEqualTo("/v1/anomalies")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));

        Response none = given().header("X-Api-Key", key).when().get("/v1/anomalies?trent=none");
        LoggedRequest forwardedNone = lastAnomaliesCall("none");
        assertEquals(200, none.statusCode());
        assertTrue(UUID_FORMAT.matcher(forwardedNone.getHeader("X-Request-Id")).matches(), forwardedNone.getHeader("X-Request-Id"));
        assertEquals(forwardedNone.getHeader("X-Request-Id"), none.header("X-Request-Id"));
        assertTrue(TRACEPARENT_FORMAT.matcher(forwardedNone.getHeader("traceparent")).matches(), forwardedNone.getHeader("traceparent"));

        // not W3C: wrong shape, and the all-zero trace id and parent id the spec declares invalid
        List<String> invalid = List.of("00-xyz-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01");
        for (int i = 0; i < invalid.size(); i++) {
            String marker = "invalid" + i;
            Response bad = given().header("X-Api-Key", key)
                    .header("X-Request-Id", "has spaces; and <script>")
                    .header("traceparent", invalid.get(i))
                    .header("tracestate", "vendor=opaque")
                    .when().get("/v1/anomalies?trent=" + marker);
            LoggedRequest forwardedBad = lastAnomaliesCall(marker);
            assertEquals(200, bad.statusCode());
            String requestId = forwardedBad.getHeader("X-Request-Id");
            assertTrue(UUID_FORMAT.matcher(requestId).matches(), requestId);
            assertEquals(requestId, bad.header("X-Request-Id"));
            String traceparent = forwardedBad.getHeader("traceparent");
            assertTrue(TRACEPARENT_FORMAT.matcher(traceparent).matches(), traceparent);
            assertNotEquals(invalid.get(i), traceparent);
            assertFalse(traceparent.startsWith("00-00000000000000000000000000000000-"), traceparent);
            assertFalse(forwardedBad.containsHeader("tracestate"), "tracestate of a discarded trace was forwarded");
        }
        // a request id longer than 128 characters is replaced too
        Response tooLong = given().header("X-Api-Key", key).header("X-Request-Id", "r".repeat(129)).when().get("/v1/anomalies?trent=long");
        assertEquals(lastAnomaliesCall("long").getHeader("X-Request-Id"), tooLong.header("X-Request-Id"));
        assertTrue(UUID_FORMAT.matcher(tooLong.header("X-Request-Id")).matches(), tooLong.header("X-Request-Id"));
    }

    @Test
    void aKeySentAsBearerIsReplacedByTheInternalTokenAndClientForwardingHeadersAreReplacedAndProxiedAnswersCarrySecurityHeaders() {
        String key = readKey("user-bea", "Bea Bearer");
        upstream.stubFor(get(urlPathEqualTo("/v1/anomalies")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));

        given().auth().oauth2(key)
                .header("X-Forwarded-For", "203.0.113.66")
                .header("X-Forwarded-Host", "evil.example")
                .header("Forwarded", "for=203.0.113.66")
                .header("X-Internal-Token", "forged")
                .header("X-DriftLock-Principal", "admin")
                .when().get("/v1/anomalies?bea=1").then()
                .statusCode(200)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");

        LoggedRequest forwarded = lastAnomaliesCall("bea=1");
        String authorization = forwarded.getHeader("Authorization");
        assertNotEquals("Bearer " + key, authorization);
        assertFalse(authorization.contains("dlk_"), authorization);
        assertTrue(SigningKeyTestResource.signedByGateway(authorization.substring("Bearer ".length())), "signed by the gateway's key");
        assertEquals(List.of("127.0.0.1"), forwarded.getHeaders().getHeader("X-Forwarded-For").values());
        assertEquals("http", forwarded.getHeader("X-Forwarded-Proto"));
        assertFalse(forwarded.containsHeader("X-Forwarded-Host"));
        assertFalse(forwarded.containsHeader("Forwarded"));
        assertFalse(forwarded.containsHeader("X-Internal-Token"));
        assertFalse(forwarded.containsHeader("X-DriftLock-Principal"));
    }

    @Test
    void aChunkedBodyWithinTheLimitStreamsThroughAndOneAboveItGets413ProblemJsonAndNeverReachesTheUpstream() throws Exception {
        String org = Accounts.signUp("user-chuck", "Chuck Chunked");
        String key = Accounts.createKey("user-chuck", org, List.of("ingest"), null);
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/chuck-small/events")).willReturn(aResponse().withStatus(202)));
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/chuck-large/events")).willReturn(aResponse().withStatus(202)));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        byte[] small = "{\"ts\":\"2026-11-21T10:00:00Z\",\"value\":1.5}\n".repeat(1_000).getBytes();
        HttpResponse<String> accepted = client.send(chunked("/v1/streams/chuck-small/events", key, small), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode());
        LoggedRequest forwarded = upstream.findAll(postRequestedFor(urlPathEqualTo("/v1/streams/chuck-small/events"))).getLast();
        assertArrayEquals(small, forwarded.getBody());

        byte[] large = new byte[1_048_576 + 1_000];
        HttpResponse<String> refused = client.send(chunked("/v1/streams/chuck-large/events", key, large), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(null));
        assertTrue(refused.body().contains("\"type\":\"https://driftlock.dev/problems/payload-too-large\""), refused.body());
        assertTrue(refused.body().contains("\"detail\":\"Request bodies are limited to 1048576 bytes: send events in smaller batches.\""),
                refused.body());
        // the part that was already streamed was aborted, not ended: the upstream never got a (truncated) request
        assertEquals(0, upstream.findAll(postRequestedFor(urlPathEqualTo("/v1/streams/chuck-large/events"))).size());
    }

    @Test
    void aClientThatHangsUpInTheMiddleOfAChunkedBodyNeverDeliversATruncatedBodyUpstream() throws Exception {
        String org = Accounts.signUp("user-cutter", "Cutter Cut");
        String key = Accounts.createKey("user-cutter", org, List.of("ingest"), null);
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/cut-whole/events")).willReturn(aResponse().withStatus(202)));
        upstream.stubFor(post(urlPathEqualTo("/v1/streams/cut-short/events")).willReturn(aResponse().withStatus(202)));
        String lines = "{\"path\":\"/api/orders\",\"status\":200}\n{\"path\":\"/api/orders\",\"status\":201}\n";

        // control: the same raw request with its terminating chunk reaches the upstream whole
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.getOutputStream().write((chunkedHead("/v1/streams/cut-whole/events", key, lines) + "0\r\n\r\n").getBytes(UTF_8));
            socket.getOutputStream().flush();
            assertTrue(new String(socket.getInputStream().readNBytes(12), UTF_8).startsWith("HTTP/1.1 202"));
        }
        assertEquals(lines, upstream.findAll(postRequestedFor(urlPathEqualTo("/v1/streams/cut-whole/events"))).getLast().getBodyAsString());

        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.getOutputStream().write(chunkedHead("/v1/streams/cut-short/events", key, lines).getBytes(UTF_8));
            socket.getOutputStream().flush();
            // the gateway admits the call and streams the first chunk upstream
            Thread.sleep(1_500);
        } // hang up without the terminating zero-length chunk

        Thread.sleep(2_000);
        // two complete lines were streamed, but the body never ended: the upstream request was aborted, not ended
        assertEquals(0, upstream.findAll(postRequestedFor(urlPathEqualTo("/v1/streams/cut-short/events"))).size());
    }

    private static String chunkedHead(String path, String key, String firstChunk) {
        return """
                POST %s HTTP/1.1\r
                Host: localhost\r
                X-Api-Key: %s\r
                Content-Type: application/x-ndjson\r
                Transfer-Encoding: chunked\r
                \r
                %x\r
                %s\r
                """.formatted(path, key, firstChunk.length(), firstChunk);
    }

    @Test
    void tooLargeChunkedBodiesDoNotOpenTheUpstreamsCircuit() throws Exception {
        String org = Accounts.signUp("user-bulma", "Bulma Bulky");
        String key = Accounts.createKey("user-bulma", org, List.of("admin", "read"), null);
        upstream.stubFor(post(urlPathEqualTo("/v1/test-bulky/upload")).willReturn(aResponse().withStatus(200)));
        upstream.stubFor(get(urlPathEqualTo("/v1/test-bulky/status")).willReturn(aResponse().withStatus(200).withBody("{}")));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // as many refusals as would open the breaker (20 of 20) if they counted as the upstream's failures
        byte[] large = new byte[1_048_576 + 1_000];
        for (int i = 0; i < 20; i++) {
            assertEquals(413, client.send(chunked("/v1/test-bulky/upload", key, large), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        given().header("X-Api-Key", key).when().get("/v1/test-bulky/status").then().statusCode(200);
    }

    private HttpRequest chunked(String path, String key, byte[] body) {
        // an InputStream publisher has no length: the JDK client sends Transfer-Encoding: chunked
        return HttpRequest.newBuilder(gateway.resolve(path)).header("X-Api-Key", key).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
    }

    private int reached(String path) {
        return upstream.findAll(getRequestedFor(urlPathEqualTo(path))).size();
    }

    private LoggedRequest lastAnomaliesCall(String marker) {
        return upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/anomalies"))).stream()
                .filter(r -> r.getUrl().contains(marker)).reduce((first, second) -> second).orElseThrow();
    }

    private static String readKey(String user, String orgName) {
        String org = Accounts.signUp(user, orgName);
        return Accounts.createKey(user, org, List.of("read"), null);
    }
}
