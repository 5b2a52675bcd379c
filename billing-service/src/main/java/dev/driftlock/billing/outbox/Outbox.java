package dev.driftlock.billing.outbox;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Appends an event to the transactional outbox. Call it inside the transaction that makes the state
 * change; a second append of the same event id is ignored, so deterministic ids publish a fact once.
 */
@ApplicationScoped
public class Outbox {

    public Uni<Void> append(String topic, Envelope<? extends DriftlockEvent> envelope) {
        return appendNew(topic, envelope).replaceWithVoid();
    }

    /** Like {@link #append}, answering whether the event is new (false: this event id was appended before). */
    public Uni<Boolean> appendNew(String topic, Envelope<? extends DriftlockEvent> envelope) {
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
