package dev.driftlock.detection.outbox;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes events into the outbox inside the caller's transaction; {@link OutboxRelay} publishes
 * them. An event id already present is ignored, so deterministic ids make a repeated write harmless.
 */
public final class Outbox {

    /**
     * One event to publish on {@code topic}, keyed by its org id.
     *
     * @param traceparent W3C trace context the relay puts on the record's {@code traceparent} header, or null
     */
    public record Pending(String topic, Envelope<? extends DriftlockEvent> envelope, String traceparent) {

        public Pending(String topic, Envelope<? extends DriftlockEvent> envelope) {
            this(topic, envelope, null);
        }
    }

    private Outbox() {
    }

    public static void write(Connection c, List<Pending> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, kafka_key, payload, traceparent) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""")) {
            for (Pending event : events) {
                s.setObject(1, event.envelope().eventId());
                s.setString(2, event.topic());
                s.setString(3, event.envelope().orgId());
                s.setString(4, EventJson.write(event.envelope()));
                s.setString(5, event.traceparent());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
