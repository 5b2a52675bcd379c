package dev.driftlock.gateway.apikey;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented by a client, to be verified by {@link ApiKeyIdentityProvider}. */
class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
