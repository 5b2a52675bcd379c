package dev.driftlock.notification.delivery;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs attempts of one send until it is sent, refused for good, or the retry policy gives up. */
final class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class);

    private final Vertx vertx;
    private final RetryPolicy policy;

    Attempts(Vertx vertx, RetryPolicy policy) {
        this.vertx = vertx;
        this.policy = policy;
    }

    Uni<String> run(String description, Supplier<Uni<Outcome>> attempt) {
        return next(description, attempt, 1);
    }

    private Uni<String> next(String description, Supplier<Uni<Outcome>> attempt, int number) {
        return attempt.get().flatMap(outcome -> switch (outcome) {
            case Outcome.Sent sent -> Uni.createFrom().item(sent.providerId());
            case Outcome.Permanent permanent -> Uni.createFrom().failure(new DeliveryFailedException(permanent.reason()));
            case Outcome.Retry retry when !policy.mayRetry(number) -> Uni.createFrom().failure(new DeliveryFailedException(
                    "gave up after " + number + " attempts; last: " + retry.reason()));
            case Outcome.Retry retry -> {
                Duration delay = policy.delayAfter(number, retry.retryAfter());
                LOG.infof("%s: attempt %d failed (%s); retrying in %d ms", description, number, retry.reason(), delay.toMillis());
                yield pause(delay).chain(() -> next(description, attempt, number + 1));
            }
        });
    }

    /** Waits on a Vert.x timer, so the continuation stays on the caller's Vert.x context. */
    Uni<Void> pause(Duration delay) {
        long millis = delay.toMillis();
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, id -> emitter.complete(null)));
    }
}
