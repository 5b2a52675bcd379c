package dev.driftlock.gateway.security;

import java.util.Set;

/**
 * An API key that passed verification; attached to the {@code SecurityIdentity} of a key-authenticated request.
 *
 * @param keyId   the lookup id (the public part of the key)
 * @param orgId   the org the key belongs to
 * @param scopes  granted scopes
 * @param streams streams the key is restricted to (empty: all)
 * @param plan    the org's plan, for rate limits
 */
public record VerifiedKey(String keyId, String orgId, Set<String> scopes, Set<String> streams, String plan) {

    /** Name of the identity attribute holding the verified key. */
    public static final String ATTRIBUTE = "driftlock.api-key";

    public Caller caller() {
        return new Caller(orgId, "key:" + keyId, scopes, plan, keyId, streams);
    }
}
