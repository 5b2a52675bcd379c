package dev.driftlock.gateway.ratelimit;

import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.GatewayConfig.PlanLimits;
import dev.driftlock.gateway.problem.ProblemException;
import dev.driftlock.gateway.security.Caller;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies the plan's limits to a caller. When Redis cannot be reached the gateway fails OPEN by
 * default (requests pass without limit headers and a warning is logged at most every 10 s): a
 * Redis outage must not take the whole public API down, and quotas that cost money are enforced
 * separately. {@code rate-limits.fail-open=false} answers 503 instead.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private static final String DEFAULT_PLAN = "developer";

    private final GatewayConfig config;
    private final String redisUrl;
    private final boolean failOpen;
    private final AtomicLong lastWarning = new AtomicLong();
    private final AtomicLong lastConnectAttempt = new AtomicLong();
    private volatile RateLimiter limiter;

    @Inject
    RateLimits(GatewayConfig config, @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this(config, redisHosts.split(",")[0].trim(), config.rateLimits().failOpen());
    }

    /** Limits of its own against {@code redisUrl}, as another gateway replica would hold (tests). */
    RateLimits(GatewayConfig config, String redisUrl, boolean failOpen) {
        this.config = config;
        this.redisUrl = redisUrl;
        this.failOpen = failOpen;
    }

    /** Takes a token for the caller; fails with {@link RateLimitedException} (429) when a bucket is empty. */
    public Uni<RateLimitDecision> acquire(Caller caller) {
        PlanLimits limits = config.rateLimits().plans().getOrDefault(caller.plan(), config.rateLimits().plans().get(DEFAULT_PLAN));
        Uni<RateLimitDecision> decision;
        try {
            decision = Uni.createFrom().completionStage(limiter().acquire(caller.limitKey(), limits.perKey(), caller.orgId(), limits.perOrg()));
        } catch (RuntimeException e) {
            decision = Uni.createFrom().failure(e);
        }
        return decision.onFailure().recoverWithUni(this::unavailable).map(d -> {
            if (!d.allowed()) {
                throw new RateLimitedException(d.headers());
            }
            return d;
        });
    }

    /** Fail open (pass without headers) or closed (503); a plain failure, not a composite of the Redis error and the 503. */
    private Uni<RateLimitDecision> unavailable(Throwable e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > 10_000_000_000L && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("rate limiter unavailable (%s); failing %s", e.getMessage(), failOpen ? "open" : "closed");
        }
        return failOpen ? Uni.createFrom().item(RateLimitDecision.BYPASSED) : Uni.createFrom().failure(new LimiterUnavailableException());
    }

    /** Connects at start (on the main thread; Lettuce connects blocking) so the first request does not wait. */
    void connect(@Observes StartupEvent start) {
        tryConnect();
    }

    /** The limiter, or null while Redis is unreachable (a reconnect is then tried in the background, at most every 5 s). */
    private RateLimiter limiter() {
        RateLimiter current = limiter;
        if (current == null) {
            long now = System.nanoTime();
            long last = lastConnectAttempt.get();
            if (now - last > 5_000_000_000L && lastConnectAttempt.compareAndSet(last, now)) {
                Infrastructure.getDefaultWorkerPool().execute(this::tryConnect);
            }
            throw new IllegalStateException("not connected to Redis");
        }
        return current;
    }

    private synchronized void tryConnect() {
        lastConnectAttempt.set(System.nanoTime());
        if (limiter != null) {
            return;
        }
        try {
            limiter = new RateLimiter(redisUrl, config.rateLimits().window(), Duration.ofMillis(500));
        } catch (RuntimeException e) {
            LOG.warnf("cannot connect the rate limiter to Redis yet: %s", e.getMessage());
        }
    }

    void close(@Observes ShutdownEvent stop) {
        RateLimiter current = limiter;
        if (current != null) {
            current.close();
        }
    }

    /** 503 when the limiter is down and configured to fail closed. */
    static class LimiterUnavailableException extends ProblemException {
        LimiterUnavailableException() {
            super(503, "rate-limiter-unavailable", "Service unavailable", "Rate limiting is unavailable; retry in a few seconds.");
        }
    }
}
