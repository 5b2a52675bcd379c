package dev.driftlock.platform.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the problem+json answers say that differs per service. */
@ConfigMapping(prefix = "driftlock.problem")
public interface ProblemConfig {

    /**
     * The {@code detail} of a 401: how to authenticate. The internal services want the gateway's
     * internal token; the gateway names API keys and OIDC tokens.
     */
    @WithDefault("A valid internal token is required; call this API through the DriftLock gateway.")
    String unauthenticatedDetail();
}
