package dev.driftlock.gateway.apikey;

import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.security.VerifiedKey;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Verifies presented API keys. A key's row (hash, scopes, revocation, org plan) is kept in memory
 * for {@code api-keys.cache-ttl} (5 s), so a verification is a map lookup plus one HMAC; a
 * revocation evicts the entry at once on this replica and, through the Redis broadcast, on the
 * others, and the TTL bounds the delay if a broadcast is lost. last-used times are written at most
 * once per {@code last-used-resolution} per key, without waiting.
 */
@ApplicationScoped
class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    private final Pool pool;
    private final ApiKeyFormat format;
    private final long ttlNanos;
    private final long lastUsedNanos;
    private final Map<String, CachedKey> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> lastTouched = new ConcurrentHashMap<>();

    @Inject
    ApiKeyVerifier(Pool pool, GatewayConfig config) {
        this(pool, config.apiKeys().pepper(), config.apiKeys().environment(), config.apiKeys().cacheTtl(),
                config.apiKeys().lastUsedResolution());
    }

    /** A verifier of its own, as another gateway replica would hold (tests of cross-replica revocation). */
    ApiKeyVerifier(Pool pool, String pepper, String environment, Duration cacheTtl, Duration lastUsedResolution) {
        this.pool = pool;
        this.format = new ApiKeyFormat(pepper, environment, new SecureRandom());
        this.ttlNanos = cacheTtl.toNanos();
        this.lastUsedNanos = lastUsedResolution.toNanos();
    }

    ApiKeyFormat format() {
        return format;
    }

    Uni<VerifiedKey> verify(String presented) {
        ApiKeyFormat.Presented key = ApiKeyFormat.parse(presented).orElse(null);
        if (key == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("malformed API key"));
        }
        long now = System.nanoTime();
        CachedKey cached = cache.get(key.lookupId());
        Uni<CachedKey> row = cached != null && now - cached.loadedAt() < ttlNanos
                ? Uni.createFrom().item(cached)
                : load(key.lookupId(), now);
        return row.map(entry -> {
            if (entry.row() == null || !format.matches(key.secret(), entry.row().secretHash())) {
                throw new AuthenticationFailedException("unknown API key");
            }
            if (entry.row().revoked()) {
                throw new AuthenticationFailedException("revoked API key");
            }
            touch(key.lookupId(), now);
            return entry.row().verified();
        });
    }

    /** Forgets every key (revocations may have been missed while not subscribed). */
    void evictAll() {
        cache.clear();
    }

    /** Forgets a key at once (it was revoked here or on another replica). */
    void evict(String lookupId) {
        cache.remove(lookupId);
    }

    private Uni<CachedKey> load(String lookupId, long now) {
        return pool.preparedQuery("""
                        SELECT k.id, k.org_id, k.secret_hash, k.scopes, k.streams, k.revoked_at, o.plan
                        FROM api_key k JOIN org o ON o.id = k.org_id WHERE k.id = $1""")
                .execute(Tuple.of(lookupId))
                .map(rows -> {
                    KeyRow row = null;
                    for (Row r : rows) {
                        String[] streams = r.getArrayOfStrings("streams");
                        row = new KeyRow(r.getBuffer("secret_hash").getBytes(), r.getValue("revoked_at") != null,
                                new VerifiedKey(r.getString("id"), r.getString("org_id"), Set.of(r.getArrayOfStrings("scopes")),
                                        streams == null ? Set.of() : Set.of(streams), r.getString("plan")));
                    }
                    CachedKey entry = new CachedKey(row, now);
                    if (row != null) {
                        cache.put(lookupId, entry);
                    }
                    return entry;
                });
    }

    private void touch(String lookupId, long now) {
        Long last = lastTouched.get(lookupId);
        if (last != null && now - last < lastUsedNanos) {
            return;
        }
        lastTouched.put(lookupId, now);
        pool.preparedQuery("UPDATE api_key SET last_used_at = now() WHERE id = $1").execute(Tuple.of(lookupId))
                .subscribe().with(done -> { }, e -> LOG.debugf("last-used update of %s failed: %s", lookupId, e.getMessage()));
    }

    private record KeyRow(byte[] secretHash, boolean revoked, VerifiedKey verified) {
    }

    private record CachedKey(KeyRow row, long loadedAt) {
    }
}
