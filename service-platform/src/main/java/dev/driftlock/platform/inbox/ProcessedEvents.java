package dev.driftlock.platform.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The idempotent-consumer record, for services on the reactive SQL client: call it inside the
 * transaction that applies the events' effect, and apply the effect only for the events it
 * answers. Concurrent consumers of the same event serialize on the primary key; the loser sees the
 * event as already processed after the winner commits. Ids are inserted in sorted order so that two
 * batches never wait on each other in a cycle. The table is the service's own
 * {@code processed_event (event_id uuid, consumer text, processed_at, PRIMARY KEY (event_id, consumer))}.
 * Services on Hibernate Reactive use {@link SessionProcessedEvents}.
 */
@ApplicationScoped
public class ProcessedEvents {

    static final String INSERT_ONE = "INSERT INTO processed_event (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    /** Whether this is the first time {@code consumer} processes {@code eventId} (records it if so). */
    public Uni<Boolean> firstTime(SqlConnection conn, UUID eventId, String consumer) {
        return conn.preparedQuery(INSERT_ONE)
                .execute(Tuple.of(eventId, consumer))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The ids among {@code eventIds} that this consumer had not processed yet (records them). */
    public Uni<Set<UUID>> firstTimes(SqlConnection conn, Collection<UUID> eventIds, String consumer) {
        UUID[] sorted = eventIds.stream().sorted().distinct().toArray(UUID[]::new);
        return conn.preparedQuery("""
                        INSERT INTO processed_event (event_id, consumer)
                        SELECT id, $2 FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) ORDER BY n
                        ON CONFLICT DO NOTHING
                        RETURNING event_id
                        """)
                .execute(Tuple.tuple().addArrayOfUUID(sorted).addString(consumer))
                .map(rows -> {
                    Set<UUID> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getUUID("event_id")));
                    return fresh;
                });
    }
}
