package dev.driftlock.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ADR 0401's outage behaviour against a real redis-server that is stopped and started again. The
 * shared test Redis cannot be stopped (every other test uses it and test-infra offers no restart),
 * so these limiters, like the second replica of {@code SharedRateLimitTest}, are instances of
 * {@link RateLimits} of their own, on a Redis of their own: one configured to fail open (the
 * default), one to fail closed.
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

    private static Caller caller(String keyId) {
        return new Caller("org_outage_" + keyId, "key:" + keyId, Set.of(Caller.READ), "tiny", keyId, null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
