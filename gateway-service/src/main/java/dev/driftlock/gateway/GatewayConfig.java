package dev.driftlock.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the gateway ({@code driftlock.gateway.*}, env {@code DRIFTLOCK_GATEWAY_*}). */
@ConfigMapping(prefix = "driftlock.gateway")
public interface GatewayConfig {

    /** Lifetime of the internal tokens the gateway signs for forwarded requests, in seconds. */
    @WithDefault("60")
    int internalTokenSeconds();

    /**
     * The RSA private key (PKCS#8 PEM) that signs internal tokens: {@code file:/path/key.pem} or the
     * PEM text itself. Required to forward requests.
     */
    Optional<String> internalTokenPrivateKey();

    /** API key settings. */
    ApiKeys apiKeys();

    /** Rate limits per plan and how the limiter behaves when Redis is down. */
    RateLimits rateLimits();

    /** The services behind the gateway, by name ({@code detection}, {@code metering}, ...). */
    Map<String, Upstream> upstreams();

    /** Largest request body accepted on proxied routes, in bytes (larger: 413). */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Demo org for {@code ./driftlock up}. */
    DemoSeed demoSeed();

    /** API key settings. */
    interface ApiKeys {

        /** Server-side secret mixed into every key hash (HMAC-SHA256); keep it out of the database. */
        String pepper();

        /** {@code live} or {@code test}: the environment word in new keys ({@code dlk_live_...}). */
        @WithDefault("live")
        String environment();

        /** How long a verified key is trusted from memory; also the upper bound for a revocation to reach every replica if a broadcast is lost. */
        @WithDefault("5s")
        Duration cacheTtl();

        /** last-used times are written at most this often per key. */
        @WithDefault("60s")
        Duration lastUsedResolution();
    }

    /** Token buckets per API key and per org; {@code plans.<plan>.*}. */
    interface RateLimits {

        /** Window the request counts refer to (the bucket refills its capacity once per window). */
        @WithDefault("60s")
        Duration window();

        /** true: when Redis cannot be reached requests pass unlimited (and are counted in a metric); false: they get 503. */
        @WithDefault("true")
        boolean failOpen();

        /** Limits of each plan, by plan name; an org on an unknown plan gets {@code developer}'s. */
        Map<String, PlanLimits> plans();
    }

    /** Request limits of one plan per window. */
    interface PlanLimits {

        /** Requests per window for one API key (or one user). */
        long perKey();

        /** Requests per window for the whole org. */
        long perOrg();
    }

    /** One service behind the gateway. */
    interface Upstream {

        /** Base URL, e.g. {@code http://127.0.0.1:8181}. */
        URI url();

        /** Path prefixes routed there ({@code /v1/streams} matches {@code /v1/streams} and {@code /v1/streams/...}). */
        List<String> prefixes();

        /** Time to wait for the upstream's response headers (not for a streamed body). */
        @WithDefault("10s")
        Duration timeout();

        /** Time without any byte either way after which a proxied exchange is closed (long enough for SSE heartbeats). */
        @WithDefault("120s")
        Duration idleTimeout();

        /** true: no authentication, no internal token, the raw body passes unchanged (Stripe webhooks). */
        @WithDefault("false")
        boolean anonymous();
    }

    /** An idempotent demo org with a fresh API key, for local use. */
    interface DemoSeed {

        @WithDefault("false")
        boolean enabled();

        /** Where the demo key is written (mode 600). */
        Optional<String> keyFile();
    }
}
