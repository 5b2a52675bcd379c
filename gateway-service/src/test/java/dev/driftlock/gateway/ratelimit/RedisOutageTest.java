package dev.driftlock.gateway.ratelimit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.driftlock.gateway.Accounts;
import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.SigningKeyTestResource;
import dev.driftlock.gateway.UpstreamStubTestResource;
import dev.driftlock.gateway.problem.ProblemException;
import dev.driftlock.gateway.problem.ProblemMapper;
import dev.driftlock.gateway.security.Caller;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.Redis;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * ADR 0401's outage behaviour against a real redis-server that is stopped and started again:
 * through the running gateway (fail open, its configuration) with the shared test Redis, and for
 * both settings with instances of {@link RateLimits} of their own on a Redis of their own (like the
 * second replica of {@code SharedRateLimitTest}: the running gateway's setting is fixed at start).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class RedisOutageTest {

    private static final String TINY_POLICY = "\"key\";q=3;w=60, \"org\";q=5;w=60";

    @Inject
    GatewayConfig config;

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redisData;

    @Test
    void withRedisDownRequestsPassUnlimitedWhenFailingOpenAndGet503WhenFailingClosedThenLimitsResume() throws Exception {
        int port = freePort();
        String url = "redis://127.0.0.1:" + port;
        Redis redis = Redis.start(port, null);
        RateLimits open = new RateLimits(config, url, true);
        RateLimits closed = new RateLimits(config, url, false);
        open.connect(null);
        closed.connect(null);
        try {
            RateLimitDecision before = open.acquire(caller("outage01")).await().atMost(Duration.ofSeconds(10));
            assertEquals(Map.of("RateLimit-Policy", TINY_POLICY, "RateLimit", "\"key\";r=2;t=20"), before.headers());
            assertTrue(closed.acquire(caller("outage02")).await().atMost(Duration.ofSeconds(10)).allowed());

            redis.close();

            long t0 = System.nanoTime();
            RateLimitDecision down = open.acquire(caller("outage01")).await().atMost(Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(down.allowed());
            assertEquals(Map.of(), down.headers());
            assertTrue(seconds < 2, "fail-open answer took " + seconds + " s");
            ProblemException refused = assertThrows(ProblemException.class,
                    () -> closed.acquire(caller("outage02")).await().atMost(Duration.ofSeconds(10)));
            assertEquals(503, refused.status());
            assertEquals("rate-limiter-unavailable", refused.slug());
            // what the proxy answers with it (a composite of the Redis error and this one used to render as 500)
            ProblemMapper.Rendered answer = ProblemMapper.render(refused, "/v1/usage");
            assertEquals(503, answer.status());
            assertEquals("https://driftlock.dev/problems/rate-limiter-unavailable", answer.problem().type());

            redis = Redis.start(port, null);

            // the restarted Redis kept nothing (no persistence): the buckets start full again
            Eventually.assertThat(() -> assertEquals("\"key\";r=2;t=20",
                    open.acquire(caller("outage03")).await().atMost(Duration.ofSeconds(10)).headers().get("RateLimit")));
            Eventually.assertThat(() -> {
                try {
                    assertFalse(closed.acquire(caller("outage04")).await().atMost(Duration.ofSeconds(10)).headers().isEmpty());
                } catch (ProblemException stillDown) {
                    fail("the fail-closed limiter still answers " + stillDown.status());
                }
            });
        } finally {
            open.close(null);
            closed.close(null);
            redis.close();
        }
    }

    /**
     * The same through the running gateway's HTTP API, with the suite's shared Redis stopped and
     * started again on its port (test-infra has no restart: a new redis-server on the same port).
     */
    @Test
    void throughTheGatewayRequestsPassWithoutLimitHeadersWhileRedisIsDownAndAreLimitedAgainAfterwards() throws Exception {
        String org = Accounts.signUp("user-rita", "Rita Redis");
        String key = Accounts.createKey("user-rita", org, List.of("read"), null);
        UpstreamStubTestResource.server().stubFor(get(urlPathEqualTo("/v1/usage")).willReturn(aResponse().withStatus(200).withBody("{}")));
        given().header("X-Api-Key", key).when().get("/v1/usage").then()
                .statusCode(200)
                .header("RateLimit-Policy", "\"key\";q=600;w=60, \"org\";q=1200;w=60")
                .header("RateLimit", "\"key\";r=599;t=1");

        Redis shared = RedisTestResource.server();
        int port = URI.create(shared.url()).getPort();
        shared.close();
        try {
            long t0 = System.nanoTime();
            given().header("X-Api-Key", key).when().get("/v1/usage").then()
                    .statusCode(200)
                    .header("RateLimit-Policy", Matchers.nullValue())
                    .header("RateLimit", Matchers.nullValue());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 2, "fail-open answer took " + seconds + " s");
        } finally {
            Redis restarted = Redis.start(port, null);
            Runtime.getRuntime().addShutdownHook(new Thread(restarted::close, "redis-restarted-stop"));
        }
        // the restarted Redis kept no buckets: the key's bucket starts full again
        Eventually.assertThat(() -> given().header("X-Api-Key", key).when().get("/v1/usage").then()
                .statusCode(200)
                .header("RateLimit", "\"key\";r=599;t=1"));

        // revocations broadcast after the outage still reach this replica's subscription: the key,
        // revoked in the database and announced on the channel as another replica would, is
        // refused well before its 5 s cache entry would expire
        Eventually.assertThat(() -> assertEquals(1, redisData.execute("PUBSUB", "NUMSUB", "driftlock:gateway:api-key-revoked")
                .await().atMost(Duration.ofSeconds(5)).get(1).toInteger(), "the gateway subscribed again"));
        given().header("X-Api-Key", key).when().get("/v1/usage").then().statusCode(200);
        long cached = System.nanoTime();
        String keyId = key.substring(9, 17);
        pool.preparedQuery("UPDATE api_key SET revoked_at = now() WHERE id = $1").execute(Tuple.of(keyId)).await().indefinitely();
        redisData.pubsub(String.class).publish("driftlock:gateway:api-key-revoked", keyId).await().atMost(Duration.ofSeconds(5));
        Eventually.assertThat(Duration.ofSeconds(10), () -> given().header("X-Api-Key", key).when().get("/v1/usage").then().statusCode(401));
        double seconds = (System.nanoTime() - cached) / 1e9;
        assertTrue(seconds < 3, "revocation took effect " + seconds + " s after the key was cached (TTL 5 s): not by the broadcast");
    }

    private static Caller caller(String keyId) {
        return new Caller("org_outage_" + keyId, "key:" + keyId, Set.of(Caller.READ), "tiny", keyId, null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
