package dev.driftlock.gateway.proxy;

import dev.driftlock.gateway.GatewayConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientResponse;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A service behind the gateway: base URL, prefixes, and a guard around "send the request and get
 * the response headers": a timeout and a circuit breaker (opens when half of the last 20 exchanges
 * failed, probes again after 5 s; a 413 for a too-large chunked body does not count). A streamed
 * answer (SSE) is outside the timeout.
 */
record Upstream(String name, String baseUrl, List<String> prefixes, boolean anonymous, long idleTimeoutMillis,
                TypedGuard<Uni<HttpClientResponse>> guard) {

    static Upstream of(String name, GatewayConfig.Upstream config) {
        String base = config.url().toString();
        TypedGuard<Uni<HttpClientResponse>> guard = TypedGuard.create(new TypeLiteral<Uni<HttpClientResponse>>() {
                })
                .withDescription("upstream " + name)
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name("upstream-" + name).requestVolumeThreshold(20).failureRatio(0.5)
                .delay(5, ChronoUnit.SECONDS).successThreshold(2)
                // a body above the limit is the client's fault, not a sign of a failing upstream
                .skipOn(PayloadTooLargeException.class).done()
                .build();
        return new Upstream(name, base.endsWith("/") ? base.substring(0, base.length() - 1) : base, config.prefixes(),
                config.anonymous(), config.idleTimeout().toMillis(), guard);
    }

    boolean serves(String path) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix) && path.charAt(prefix.length()) == '/') {
                return true;
            }
        }
        return false;
    }
}
