package dev.driftlock.gateway.proxy;

import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.security.Caller;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the internal token for forwarded requests (RS256; iss {@code driftlock-gateway}, aud
 * {@code driftlock-services}, sub = principal, {@code org}, {@code groups} = scopes). An RSA
 * signature costs about a millisecond, so a token is reused for the first half of its lifetime:
 * every forwarded token has at least half its lifetime (30 s of 60 s) left.
 */
@ApplicationScoped
class InternalTokenMinter {

    private static final int MAX_CACHED = 10_000;

    private final long lifetimeSeconds;
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    InternalTokenMinter(GatewayConfig config) {
        this.lifetimeSeconds = config.internalTokenSeconds();
    }

    String tokenFor(Caller caller) {
        String cacheKey = caller.orgId() + "|" + caller.principal() + "|" + new TreeSet<>(caller.scopes());
        long now = System.currentTimeMillis() / 1000;
        Minted minted = cache.get(cacheKey);
        if (minted != null && now < minted.issuedAt() + lifetimeSeconds / 2) {
            return minted.token();
        }
        String token = Jwt.issuer("driftlock-gateway")
                .audience("driftlock-services")
                .subject(caller.principal())
                .claim("org", caller.orgId())
                .groups(caller.scopes())
                .issuedAt(now)
                .expiresAt(now + lifetimeSeconds)
                .sign();
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(cacheKey, new Minted(token, now));
        return token;
    }

    private record Minted(String token, long issuedAt) {
    }
}
