package dev.driftlock.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Token buckets in Redis (Bucket4j, compare-and-swap through Lettuce), so every gateway replica
 * draws from the same bucket: one per API key (or user) and one per org. A bucket holds the
 * plan's requests per window and refills them evenly over the window. The key's bucket is
 * checked first; a request it allows also takes a token from the org's bucket.
 */
class RateLimiter implements AutoCloseable {

    private final RedisClient client;
    private final AsyncProxyManager<byte[]> buckets;
    private final Duration window;

    RateLimiter(String redisUrl, Duration window, Duration redisTimeout) {
        this.client = RedisClient.create(redisUrl);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(redisTimeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.buckets = Bucket4jLettuce.casBasedBuilder(client)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build()
                .asAsync();
        this.window = window;
    }

    /** Takes one token for {@code limitKey} within {@code perKey} and for {@code orgId} within {@code perOrg}. */
    CompletableFuture<RateLimitDecision> acquire(String limitKey, long perKey, String orgId, long perOrg) {
        return consume("rl:" + limitKey, perKey).thenCompose(keyProbe -> {
            RateLimitDecision.Bucket key = bucket(RateLimitDecision.KEY_POLICY, perKey, keyProbe);
            if (!keyProbe.isConsumed()) {
                return CompletableFuture.completedFuture(RateLimitDecision.of(window, key, perOrg, null));
            }
            return consume("rl:org:" + orgId, perOrg)
                    .thenApply(orgProbe -> RateLimitDecision.of(window, key, perOrg, bucket(RateLimitDecision.ORG_POLICY, perOrg, orgProbe)));
        });
    }

    private CompletableFuture<ConsumptionProbe> consume(String name, long capacity) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .build();
        // the limit is part of the bucket's name, so a plan change starts a bucket of the new size
        byte[] key = (name + ":" + capacity).getBytes(StandardCharsets.UTF_8);
        return buckets.builder().build(key, () -> CompletableFuture.completedFuture(configuration)).tryConsumeAndReturnRemaining(1);
    }

    private static RateLimitDecision.Bucket bucket(String policy, long quota, ConsumptionProbe probe) {
        return new RateLimitDecision.Bucket(policy, quota, probe.isConsumed(), probe.getRemainingTokens(),
                probe.getNanosToWaitForReset(), probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
