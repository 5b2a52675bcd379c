package dev.driftlock.platform.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * {@link ProcessedEvents} for services on Hibernate Reactive Panache: the statements run in the
 * current Panache session, so inside its transaction. The service brings Panache; a service
 * without it never uses (and so never loads) this bean.
 */
@ApplicationScoped
public class SessionProcessedEvents {

    /** Whether this is the first time {@code consumer} processes {@code eventId} (records it if so). */
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
