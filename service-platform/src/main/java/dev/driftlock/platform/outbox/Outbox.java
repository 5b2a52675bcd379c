package dev.driftlock.platform.outbox;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The transactional outbox, for services on the reactive SQL client: events are written in the
 * transaction of the state change they report and published by {@link OutboxRelay}, keyed by their
 * org id. An event id already in the outbox is not written again, so deterministic ids publish a
 * fact once. Services on Hibernate Reactive use {@link SessionOutbox}. The table is the service's
 * own (docs/service-platform.md gives its DDL).
 */
@ApplicationScoped
public class Outbox {

    static final String INSERT = """
            INSERT INTO outbox (event_id, topic, record_key, payload) VALUES ($1, $2, $3, $4)
            ON CONFLICT (event_id) DO NOTHING""";

    /** Appends an event for {@code topic}, keyed by its org id. */
    public Uni<Void> append(SqlConnection conn, String topic, Envelope<?> envelope) {
        return appendNew(conn, topic, envelope).replaceWithVoid();
    }

    /** Like {@link #append}, answering whether the event is new (false: this event id was appended before). */
    public Uni<Boolean> appendNew(SqlConnection conn, String topic, Envelope<?> envelope) {
        return conn.preparedQuery(INSERT)
                .execute(Tuple.of(envelope.eventId(), topic, envelope.orgId(), EventJson.write(envelope)))
                .map(rows -> rows.rowCount() == 1);
    }
}
