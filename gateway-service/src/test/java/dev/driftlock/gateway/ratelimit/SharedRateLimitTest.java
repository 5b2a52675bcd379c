package dev.driftlock.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.testinfra.RedisTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas = two independent limiters (each its own Lettuce client and Bucket4j proxy
 * manager) against one real Redis: together they allow exactly the plan's requests.
 */
class SharedRateLimitTest {

    @Test
    void twoLimitersSharingRedisEnforceOneLimitWithExactHeaders() {
        String redis = RedisTestResource.server().url();
        try (RateLimiter replicaA = new RateLimiter(redis, Duration.ofSeconds(60), Duration.ofSeconds(2));
             RateLimiter replicaB = new RateLimiter(redis, Duration.ofSeconds(60), Duration.ofSeconds(2))) {
            List<RateLimitDecision> decisions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RateLimiter replica = i % 2 == 0 ? replicaA : replicaB;
                decisions.add(replica.acquire("key:shared01", 4, "org_shared", 100).join());
            }

            assertEquals(List.of(true, true, true, true, false), decisions.stream().map(RateLimitDecision::allowed).toList());
            assertEquals("\"key\";r=3;t=15", decisions.get(0).headers().get("RateLimit"));
            assertEquals("\"key\";r=2;t=30", decisions.get(1).headers().get("RateLimit"));
            assertEquals("\"key\";r=1;t=45", decisions.get(2).headers().get("RateLimit"));
            assertEquals("\"key\";r=0;t=60", decisions.get(3).headers().get("RateLimit"));
            assertEquals("\"key\";r=0;t=60", decisions.get(4).headers().get("RateLimit"));
            assertEquals("15", decisions.get(4).headers().get("Retry-After"));
            assertFalse(decisions.get(3).headers().containsKey("Retry-After"));
            assertEquals("\"key\";q=4;w=60, \"org\";q=100;w=60", decisions.get(4).headers().get("RateLimit-Policy"));
        }
    }

    @Test
    void theOrgBucketLimitsAllKeysOfTheOrgTogether() {
        String redis = RedisTestResource.server().url();
        try (RateLimiter replicaA = new RateLimiter(redis, Duration.ofSeconds(60), Duration.ofSeconds(2));
             RateLimiter replicaB = new RateLimiter(redis, Duration.ofSeconds(60), Duration.ofSeconds(2))) {
            assertTrue(replicaA.acquire("key:orgkey01", 10, "org_two_keys", 2).join().allowed());
            assertTrue(replicaB.acquire("key:orgkey02", 10, "org_two_keys", 2).join().allowed());
            RateLimitDecision third = replicaA.acquire("key:orgkey03", 10, "org_two_keys", 2).join();

            assertFalse(third.allowed());
            assertEquals("\"org\";r=0;t=60", third.headers().get("RateLimit"));
            assertEquals("30", third.headers().get("Retry-After"));
        }
    }

    @Test
    void secondsAreRoundedUp() {
        assertEquals(0, RateLimitDecision.ceilSeconds(0));
        assertEquals(1, RateLimitDecision.ceilSeconds(1));
        assertEquals(1, RateLimitDecision.ceilSeconds(1_000_000_000L));
        assertEquals(2, RateLimitDecision.ceilSeconds(1_000_000_001L));
    }
}
