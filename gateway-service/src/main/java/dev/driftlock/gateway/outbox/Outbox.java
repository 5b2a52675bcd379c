package dev.driftlock.gateway.outbox;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes events into the {@code outbox} table inside the caller's transaction; {@link OutboxRelay}
 * publishes them. A repeated event id is ignored, so a fact written twice is published once.
 */
@ApplicationScoped
public class Outbox {

    /** Adds {@code data} for {@code orgId} (the Kafka key) to the outbox, in the transaction of {@code tx}. */
    public Uni<Void> add(SqlConnection tx, String topic, UUID eventId, String orgId, Instant occurredAt, DriftlockEvent data) {
        String payload = EventJson.write(Envelope.of(eventId, orgId, occurredAt, data));
        return tx.preparedQuery("""
                        INSERT INTO outbox (event_id, topic, msg_key, payload, created_at) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (event_id) DO NOTHING""")
                .execute(Tuple.of(eventId, topic, orgId, payload, occurredAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
