package dev.driftlock.gateway.apikey;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tells every gateway replica that a key was revoked (Redis pub/sub), so each evicts it from its
 * verification cache at once. Best effort: a lost message is covered by the cache TTL, and the
 * subscription is renewed (with an emptied cache) after a Redis outage.
 */
@ApplicationScoped
class RevocationBroadcast {

    static final String CHANNEL = "driftlock:gateway:api-key-revoked";
    private static final Logger LOG = Logger.getLogger(RevocationBroadcast.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ApiKeyVerifier verifier;
    private volatile boolean stopping;

    RevocationBroadcast(ReactiveRedisDataSource redis, ApiKeyVerifier verifier) {
        this.pubsub = redis.pubsub(String.class);
        this.verifier = verifier;
    }

    void listen(@Observes StartupEvent start) {
        keepListening();
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    /**
     * Subscribes, and subscribes again whenever the subscription ends or fails (a Redis outage or
     * restart ends it; the client does not resubscribe by itself). Revocations published meanwhile
     * are lost, so every (re)subscription also empties the verification cache.
     */
    private void keepListening() {
        AtomicBoolean lost = new AtomicBoolean();
        Runnable onLost = () -> {
            if (!stopping && lost.compareAndSet(false, true)) {
                LOG.warnf("key revocation subscription lost; resubscribing (cache TTL applies meanwhile)");
                keepListening();
            }
        };
        subscribe(onLost).subscribe().with(subscriber -> {
                    verifier.evictAll();
                    LOG.debugf("listening for key revocations on %s", CHANNEL);
                },
                e -> LOG.warnf("not listening for key revocations (cache TTL still applies): %s", e.getMessage()));
    }

    /** Subscribes this replica's verifier to the revocation channel (retried until Redis answers). */
    Uni<ReactiveRedisSubscriber> subscribe() {
        return subscribe(() -> { });
    }

    private Uni<ReactiveRedisSubscriber> subscribe(Runnable onLost) {
        return pubsub.subscribe(CHANNEL, verifier::evict, onLost, e -> onLost.run())
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely();
    }

    Uni<Void> announce(String lookupId) {
        verifier.evict(lookupId);
        return pubsub.publish(CHANNEL, lookupId)
                .onFailure().invoke(e -> LOG.warnf("revocation of %s not broadcast (cache TTL still applies): %s", lookupId, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
