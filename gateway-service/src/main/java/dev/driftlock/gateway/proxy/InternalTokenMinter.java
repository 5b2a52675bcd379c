package dev.driftlock.gateway.proxy;

import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.security.Caller;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
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
    private final String keySetting;
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();
    private volatile PrivateKey key;

    InternalTokenMinter(GatewayConfig config) {
        this.lifetimeSeconds = config.internalTokenSeconds();
        this.keySetting = config.internalTokenPrivateKey().filter(s -> !s.isBlank()).orElse(null);
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
                .jws().algorithm(SignatureAlgorithm.RS256)
                .sign(key());
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(cacheKey, new Minted(token, now));
        return token;
    }

    private PrivateKey key() {
        PrivateKey current = key;
        if (current == null) {
            if (keySetting == null) {
                throw new IllegalStateException("DRIFTLOCK_INTERNAL_TOKEN_PRIVATE_KEY is not set: the gateway cannot sign internal tokens");
            }
            try {
                String pem = keySetting.startsWith("file:") ? Files.readString(Path.of(keySetting.substring("file:".length()))) : keySetting;
                current = KeyUtils.decodePrivateKey(pem);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the internal token key " + keySetting, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the internal token key is not a PKCS#8 RSA key", e);
            }
            key = current;
        }
        return current;
    }

    private record Minted(String token, long issuedAt) {
    }
}
