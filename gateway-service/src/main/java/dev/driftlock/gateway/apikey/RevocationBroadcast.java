package dev.driftlock.gateway.apikey;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Tells every gateway replica that a key was revoked (Redis pub/sub), so each evicts it from its
 * verification cache at once. Best effort: a lost message is covered by the cache TTL.
 */
@ApplicationScoped
class RevocationBroadcast {

    static final String CHANNEL = "driftlock:gateway:api-key-revoked";
    private static final Logger LOG = Logger.getLogger(RevocationBroadcast.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ApiKeyVerifier verifier;

    RevocationBroadcast(ReactiveRedisDataSource redis, ApiKeyVerifier verifier) {
        this.pubsub = redis.pubsub(String.class);
        this.verifier = verifier;
    }

    void listen(@Observes StartupEvent start) {
        subscribe().subscribe().with(subscriber -> LOG.debugf("listening for key revocations on %s", CHANNEL),
                e -> LOG.warnf("not listening for key revocations (cache TTL still applies): %s", e.getMessage()));
    }

    /** Subscribes this replica's verifier to the revocation channel (retried until Redis answers). */
    Uni<ReactiveRedisSubscriber> subscribe() {
        return pubsub.subscribe(CHANNEL, verifier::evict)
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely();
    }

    Uni<Void> announce(String lookupId) {
        verifier.evict(lookupId);
        return pubsub.publish(CHANNEL, lookupId)
                .onFailure().invoke(e -> LOG.warnf("revocation of %s not broadcast (cache TTL still applies): %s", lookupId, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
