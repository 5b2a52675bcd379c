package dev.driftlock.billing.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The table of received Stripe events ({@code stripe_event}). */
@ApplicationScoped
class StripeEventStore {

    private final Clock clock;

    StripeEventStore(Clock clock) {
        this.clock = clock;
    }

    /** Stores an event once; answers false when its id was stored before. */
    Uni<Boolean> store(String id, String type, long created, String payload) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        INSERT INTO stripe_event (id, type, created, payload, received_at) VALUES (:id, :type, :created, :payload, :at)
                        ON CONFLICT (id) DO NOTHING""")
                .setParameter("id", id)
                .setParameter("type", type)
                .setParameter("created", created)
                .setParameter("payload", payload)
                .setParameter("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .executeUpdate()))
                .map(inserted -> inserted == 1);
    }

    /** Ids of events still to apply, oldest Stripe {@code created} first. */
    Uni<List<String>> pending(int maxAttempts, int limit) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        SELECT id FROM stripe_event WHERE processed_at IS NULL AND attempts < :max AND (retry_at IS NULL OR retry_at <= :now)
                        ORDER BY created, received_at, id LIMIT :limit""", String.class)
                .setParameter("max", maxAttempts)
                .setParameter("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter("limit", limit)
                .getResultList()));
    }

    /** The payload of an unapplied event, locked until the transaction ends; null when applied meanwhile. */
    Uni<StoredEvent> lockPending(String id) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        SELECT id, type, created, payload FROM stripe_event WHERE id = :id AND processed_at IS NULL FOR UPDATE""", Object[].class)
                .setParameter("id", id)
                .getResultList())
                .map(StripeEventStore::firstOf);
    }

    /** The payload of an event (no lock), or null. */
    Uni<StoredEvent> find(String id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        SELECT id, type, created, payload FROM stripe_event WHERE id = :id""", Object[].class)
                .setParameter("id", id)
                .getResultList()))
                .map(StripeEventStore::firstOf);
    }

    Uni<Void> markApplied(String id, String outcome) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "UPDATE stripe_event SET processed_at = :at, last_attempt_at = :at, outcome = :outcome, attempts = attempts + 1 WHERE id = :id")
                .setParameter("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter("outcome", outcome)
                .setParameter("id", id)
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Counts a failed attempt; the next one waits 1, 2, 4 ... seconds (at most 10 minutes) after it.
     * {@code :now} is cast explicitly: in {@code :now + interval} PostgreSQL would infer the parameter
     * as an interval and reject the statement, which left attempts and retry time unwritten (the event
     * was then retried on every run, every second, forever).
     */
    Uni<Void> markFailed(String id, String error) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        """
                        UPDATE stripe_event SET attempts = attempts + 1, last_error = :error, last_attempt_at = CAST(:now AS timestamptz),
                               retry_at = CAST(:now AS timestamptz) + make_interval(secs => least(power(2, attempts), 600))
                        WHERE id = :id""")
                .setParameter("error", error == null ? "unknown" : error)
                .setParameter("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter("id", id)
                .executeUpdate()))
                .replaceWithVoid();
    }

    private static StoredEvent firstOf(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = rows.getFirst();
        return new StoredEvent((String) row[0], (String) row[1], ((Number) row[2]).longValue(), (String) row[3]);
    }

    /** One stored event. */
    record StoredEvent(String id, String type, long created, String payload) {
    }
}
