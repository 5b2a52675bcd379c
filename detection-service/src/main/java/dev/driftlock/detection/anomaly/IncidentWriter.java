package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.cbad.Incident;
import dev.driftlock.detection.outbox.Outbox;
import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.AnomalyUpdated;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Upserts stream incidents as anomaly rows, with their outbox events, in the caller's transaction
 * (ADR 0031). A new row publishes {@code anomaly.detected} (event id = anomaly id, so once per
 * incident); a row that grew publishes {@code anomaly.updated} (event id from anomaly id and event
 * count). An update never moves a row backwards: it applies only when it has more events than the
 * row, so replaying an older state changes and publishes nothing.
 */
public final class IncidentWriter {

    private static final ObjectMapper JSON = EventJson.mapper();

    private IncidentWriter() {
    }

    /** What the upserts did. */
    public record Written(int opened, int grown) {
    }

    public static Written write(Connection c, List<IncidentUpdate> updates) throws SQLException {
        if (updates.isEmpty()) {
            return new Written(0, 0);
        }
        int opened = 0;
        int grown = 0;
        List<Outbox.Pending> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO anomaly (id, org_id, stream_id, source, event_ref, position, event, score, p_value, alpha,
                                     evidence, why, status, detected_at, traceparent, incident_id, cause, events,
                                     last_position, last_seen_at, strongest)
                VALUES (?, ?, ?, 'stream', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (id) DO UPDATE SET
                    events = EXCLUDED.events, last_position = EXCLUDED.last_position, last_seen_at = EXCLUDED.last_seen_at,
                    strongest = EXCLUDED.strongest,
                    p_value = CASE WHEN EXCLUDED.score > anomaly.score THEN EXCLUDED.p_value ELSE anomaly.p_value END,
                    evidence = CASE WHEN EXCLUDED.score > anomaly.score THEN EXCLUDED.evidence ELSE anomaly.evidence END,
                    why = CASE WHEN EXCLUDED.score > anomaly.score THEN EXCLUDED.why ELSE anomaly.why END,
                    score = greatest(anomaly.score, EXCLUDED.score),
                    feed_seq = nextval('anomaly_feed_seq'), changed_at = now(), updated_at = now()
                WHERE anomaly.events < EXCLUDED.events
                RETURNING (xmax = 0), detected_at, score, p_value, why""")) {
            for (IncidentUpdate u : updates) {
                Incident incident = u.incident();
                s.setObject(1, u.id());
                s.setString(2, u.orgId());
                s.setString(3, u.streamId());
                s.setString(4, u.eventRef());
                s.setLong(5, incident.firstSeen());
                s.setString(6, u.event());
                s.setDouble(7, u.strongest().score());
                s.setDouble(8, u.strongest().pValue());
                s.setDouble(9, u.strongest().alpha());
                s.setString(10, u.strongest().evidence() == null ? "{}" : AnomalyWriter.evidenceJson(u.strongest().evidence()));
                s.setString(11, u.strongest().why());
                s.setTimestamp(12, Timestamp.from(u.firstSeenAt()));
                s.setString(13, u.traceparent());
                s.setLong(14, incident.id());
                s.setString(15, incident.cause());
                s.setLong(16, incident.events());
                s.setLong(17, incident.lastSeen());
                s.setTimestamp(18, Timestamp.from(u.lastSeenAt()));
                s.setString(19, strongestJson(incident));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        continue; // the row already has this state (a replay) or a later one
                    }
                    boolean inserted = r.getBoolean(1);
                    Instant detectedAt = r.getTimestamp(2).toInstant();
                    double score = r.getDouble(3);
                    if (inserted) {
                        opened++;
                        events.add(new Outbox.Pending(Topics.ANOMALIES, Envelope.of(u.id(), u.orgId(), detectedAt,
                                new AnomalyDetected(u.id().toString(), u.streamId(), u.eventRef(), detectedAt, score,
                                        r.getDouble(4), r.getString(5))), u.traceparent()));
                    } else {
                        grown++;
                        events.add(new Outbox.Pending(Topics.ANOMALIES, Envelope.of(updatedEventId(u.id(), incident.events()),
                                u.orgId(), u.lastSeenAt(), new AnomalyUpdated(u.id().toString(), u.streamId(), incident.cause(),
                                        incident.events(), detectedAt, u.lastSeenAt(), score)), u.lastTraceparent()));
                    }
                }
            }
        }
        Outbox.write(c, events);
        return new Written(opened, grown);
    }

    /** Event id of the {@code anomaly.updated} that reports an anomaly at {@code events} events. */
    static UUID updatedEventId(UUID anomalyId, long events) {
        return UUID.nameUUIDFromBytes(("anomaly-updated|" + anomalyId + "|" + events).getBytes(StandardCharsets.UTF_8));
    }

    static String strongestJson(Incident incident) {
        List<Map<String, Object>> strongest = new ArrayList<>();
        for (Incident.Strong strong : incident.strongest()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("position", strong.index());
            event.put("score", strong.score());
            event.put("why", strong.why());
            strongest.add(event);
        }
        try {
            return JSON.writeValueAsString(strongest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
