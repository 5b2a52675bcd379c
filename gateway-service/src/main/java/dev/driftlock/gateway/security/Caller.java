package dev.driftlock.gateway.security;

import java.util.Set;

/**
 * Who is calling once the gateway has authenticated the request: the org whose data may be
 * touched, the principal (an OIDC subject, or {@code key:<id>} for an API key), the scopes it holds
 * there ({@code ingest}, {@code read}, {@code admin}), the org's plan (for rate limits), the API key
 * id (null for users) and the streams a key is restricted to (empty: all).
 */
public record Caller(String orgId, String principal, Set<String> scopes, String plan, String keyId, Set<String> streams) {

    public static final String INGEST = "ingest";
    public static final String READ = "read";
    public static final String ADMIN = "admin";
    public static final Set<String> ALL_SCOPES = Set.of(INGEST, READ, ADMIN);

    public Caller {
        scopes = Set.copyOf(scopes);
        streams = streams == null ? Set.of() : Set.copyOf(streams);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** Whether this caller may touch the given stream (keys can be restricted to some streams). */
    public boolean mayUseStream(String streamId) {
        return streams.isEmpty() || streams.contains(streamId);
    }

    /** The rate-limit bucket of this principal: the key, or the user within the org. */
    public String limitKey() {
        return keyId != null ? "key:" + keyId : "user:" + orgId + ":" + principal;
    }
}
