package dev.driftlock.metering.outbox;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The transactional outbox: events are written in the transaction of the state change they report
 * and published by {@link OutboxRelay}. An event id already in the outbox is not written again.
 */
@ApplicationScoped
public class Outbox {

    /** Appends an event for {@code topic}, keyed by its org id. */
    public Uni<Void> append(SqlConnection conn, String topic, Envelope<?> envelope) {
        return conn.preparedQuery("""
                        INSERT INTO outbox (event_id, topic, record_key, payload) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .execute(Tuple.of(envelope.eventId(), topic, envelope.orgId(), EventJson.write(envelope)))
                .replaceWithVoid();
    }
}
