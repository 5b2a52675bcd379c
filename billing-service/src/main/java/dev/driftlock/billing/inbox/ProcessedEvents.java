package dev.driftlock.billing.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The idempotent-consumer record: call {@link #firstTime} inside the transaction that applies the
 * event's effect, and apply it only when it answers true. Concurrent consumers of the same event
 * serialize on the primary key; the loser sees false after the winner commits.
 */
@ApplicationScoped
public class ProcessedEvents {

    public Uni<Boolean> firstTime(UUID eventId, String consumer) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("INSERT INTO processed_event (event_id, consumer) VALUES (:id, :consumer) ON CONFLICT DO NOTHING")
                .setParameter("id", eventId)
                .setParameter("consumer", consumer)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** Whether the event was processed already (a read, for work that must happen before the transaction, e.g. a Stripe call). */
    public Uni<Boolean> seen(UUID eventId, String consumer) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT count(*) FROM processed_event WHERE event_id = :id AND consumer = :consumer", Long.class)
                .setParameter("id", eventId)
                .setParameter("consumer", consumer)
                .getSingleResult())
                .map(count -> count > 0);
    }
}
