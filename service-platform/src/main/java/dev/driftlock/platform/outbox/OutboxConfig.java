package dev.driftlock.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The transactional outbox's relay. The relay exists only in services that set
 * {@code driftlock.outbox.enabled=true} (a build-time property) and configure the outgoing channel
 * {@value OutboxRelay#CHANNEL} (serializers, acks); the topic of each record is the row's own.
 */
@ConfigMapping(prefix = "driftlock.outbox")
public interface OutboxConfig {

    /** Whether this service has an {@code outbox} table and its relay runs (build time). */
    @WithDefault("false")
    boolean enabled();

    /**
     * How often the relay looks for unpublished rows; {@code off} disables the schedule (tests call
     * the relay themselves). Read by the scheduler as {@code driftlock.outbox.relay-every}.
     */
    @WithDefault("1s")
    String relayEvery();

    /** How many rows one relay round locks, sends and marks at most. */
    @WithDefault("100")
    int pageSize();
}
