package dev.driftlock.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the gateway ({@code driftlock.gateway.*}, env {@code DRIFTLOCK_GATEWAY_*}). */
@ConfigMapping(prefix = "driftlock.gateway")
public interface GatewayConfig {

    /** Retries of an event whose processing failed for a reason other than bad input, before it is dead-lettered. */
    @WithDefault("8")
    int processingRetries();

    /** Lifetime of the internal tokens the gateway signs for forwarded requests, in seconds. */
    @WithDefault("60")
    int internalTokenSeconds();
}
