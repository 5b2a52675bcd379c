package dev.driftlock.platform.outbox;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link Outbox} for services on Hibernate Reactive Panache: the row is written in the current
 * Panache session, so inside its transaction. The service brings Panache; a service without it
 * never uses (and so never loads) this bean.
 */
@ApplicationScoped
public class SessionOutbox {

    /** Appends an event for {@code topic}, keyed by its org id. */
    public Uni<Void> append(String topic, Envelope<?> envelope) {
        return appendNew(topic, envelope).replaceWithVoid();
    }

    /** Like {@link #append}, answering whether the event is new (false: this event id was appended before). */
    public Uni<Boolean> appendNew(String topic, Envelope<?> envelope) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                                INSERT INTO outbox (event_id, topic, record_key, payload) VALUES (:id, :topic, :key, :payload)
                                ON CONFLICT (event_id) DO NOTHING""")
                        .setParameter("id", envelope.eventId())
                        .setParameter("topic", topic)
                        .setParameter("key", envelope.orgId())
                        .setParameter("payload", EventJson.write(envelope))
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
