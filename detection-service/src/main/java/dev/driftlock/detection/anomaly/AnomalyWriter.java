package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.cbad.Evidence;
import dev.driftlock.detection.outbox.Outbox;
import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores Monitor API anomalies (one per flagged item) and their {@link AnomalyDetected} outbox events
 * in the caller's transaction; streamed anomalies are incidents ({@link IncidentWriter}).
 * An id already stored is left alone and not published again (the event id is the anomaly id).
 */
public final class AnomalyWriter {

    private static final ObjectMapper JSON = EventJson.mapper();

    private AnomalyWriter() {
    }

    /** @return how many of the anomalies were new */
    public static int write(Connection c, List<NewAnomaly> anomalies) throws SQLException {
        if (anomalies.isEmpty()) {
            return 0;
        }
        int inserted = 0;
        List<Outbox.Pending> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO anomaly (id, org_id, stream_id, source, event_ref, position, event, score, p_value, alpha,
                                     evidence, why, status, detected_at, traceparent, last_position, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'new', ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING""")) {
            for (NewAnomaly a : anomalies) {
                s.setObject(1, a.id());
                s.setString(2, a.orgId());
                s.setString(3, a.streamId());
                s.setString(4, a.source());
                s.setString(5, a.eventRef());
                s.setLong(6, a.position());
                s.setString(7, a.event());
                s.setDouble(8, a.verdict().score());
                s.setDouble(9, a.verdict().pValue());
                s.setDouble(10, a.verdict().alpha());
                s.setString(11, evidenceJson(a.verdict().evidence()));
                s.setString(12, a.verdict().why());
                s.setTimestamp(13, Timestamp.from(a.detectedAt()));
                s.setString(14, a.traceparent());
                s.setLong(15, a.position());
                s.setTimestamp(16, Timestamp.from(a.detectedAt()));
                if (s.executeUpdate() == 1) {
                    inserted++;
                    events.add(new Outbox.Pending(Topics.ANOMALIES, Envelope.of(a.id(), a.orgId(), a.detectedAt(),
                            new AnomalyDetected(a.id().toString(), a.streamId(), a.eventRef(), a.detectedAt(),
                                    a.verdict().score(), a.verdict().pValue(), a.verdict().why())), a.traceparent()));
                }
            }
        }
        Outbox.write(c, events);
        return inserted;
    }

    /** The evidence as JSON; non-finite numbers (unknown medians) become null. */
    static String evidenceJson(Evidence e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("canonicalBytes", e.canonicalBytes());
        json.put("compressedBytes", e.compressedBytes());
        json.put("surprisalBits", finite(e.surprisalBits()));
        json.put("baselineEvents", e.baselineEvents());
        json.put("calibrationSize", e.calibrationSize());
        json.put("novelTokens", e.novelTokens());
        List<Map<String, Object>> numeric = new ArrayList<>();
        for (Evidence.NumericDeviation d : e.numeric()) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", d.field());
            field.put("value", finite(d.value()));
            field.put("baselineMedian", finite(d.baselineMedian()));
            field.put("robustZ", finite(d.robustZ()));
            numeric.add(field);
        }
        json.put("numeric", numeric);
        Map<String, Object> components = new LinkedHashMap<>();
        e.components().forEach((k, v) -> components.put(k, finite(v)));
        json.put("components", components);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
