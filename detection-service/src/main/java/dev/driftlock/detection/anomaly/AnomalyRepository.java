package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.events.EventJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and status changes of anomalies; every query is restricted to one org. */
@ApplicationScoped
class AnomalyRepository {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String COLUMNS = """
            id, seq, stream_id, source, event_ref, position, event, score, p_value, alpha, evidence::text, why, status,
            note, detected_at, created_at, updated_at, cause, events, last_seen_at, last_position, strongest::text, feed_seq""";

    private final AgroalDataSource dataSource;

    AnomalyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Filters of a listing; null means "any". {@code beforeSeq} is the cursor (newest first). */
    record Filter(String streamId, String status, Instant from, Instant to, Double minScore, Long beforeSeq, int limit) {
    }

    List<AnomalyView> list(String orgId, Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM anomaly WHERE org_id = ?");
        List<Object> args = new ArrayList<>(List.of(orgId));
        if (f.streamId() != null) {
            sql.append(" AND stream_id = ?");
            args.add(f.streamId());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status());
        }
        if (f.from() != null) {
            sql.append(" AND detected_at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND detected_at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.minScore() != null) {
            sql.append(" AND score >= ?");
            args.add(f.minScore());
        }
        if (f.beforeSeq() != null) {
            sql.append(" AND seq < ?");
            args.add(f.beforeSeq());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(f.limit());
        return query(sql.toString(), args);
    }

    Optional<AnomalyView> find(String orgId, UUID id) {
        return query("SELECT " + COLUMNS + " FROM anomaly WHERE org_id = ? AND id = ?", List.of(orgId, id)).stream().findFirst();
    }

    List<AnomalyView.StatusChange> history(UUID id) {
        List<AnomalyView.StatusChange> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT from_status, to_status, note, principal, changed_at FROM anomaly_status_change
                     WHERE anomaly_id = ? ORDER BY id""")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    changes.add(new AnomalyView.StatusChange(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getTimestamp(5).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    /** The fields a status change needs, read under the row's lock. */
    record Locked(UUID id, String orgId, String streamId, String source, String status, String note, String cause,
                  Instant detectedAt) {
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Locks the org's anomaly for a status change; empty when the org has no such anomaly. */
    Optional<Locked> lock(Connection c, String orgId, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT stream_id, source, status, note, cause, detected_at FROM anomaly WHERE org_id = ? AND id = ? FOR UPDATE""")) {
            s.setString(1, orgId);
            s.setObject(2, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Locked(id, orgId, r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getTimestamp(6).toInstant()));
            }
        }
    }

    /** Sets status and note, records the change in the history and moves the anomaly to the feed's end. */
    void changeStatus(Connection c, Locked current, String status, String note, String principal) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE anomaly SET status = ?, note = ?, updated_at = now(), changed_at = now(),
                    feed_seq = nextval('anomaly_feed_seq') WHERE id = ?""")) {
            s.setString(1, status);
            s.setString(2, note);
            s.setObject(3, current.id());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO anomaly_status_change (anomaly_id, from_status, to_status, note, principal) VALUES (?, ?, ?, ?, ?)""")) {
            s.setObject(1, current.id());
            s.setString(2, current.status());
            s.setString(3, status);
            s.setString(4, note);
            s.setString(5, principal);
            s.executeUpdate();
        }
    }

    /**
     * Asks the stream's detector to learn the anomaly's cause as normal (applied by the stream's owner
     * loop); once per anomaly.
     */
    void requestFeedback(Connection c, Locked anomaly) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO stream_feedback (anomaly_id, stream_key, cause) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")) {
            s.setObject(1, anomaly.id());
            s.setString(2, anomaly.orgId() + "/" + anomaly.streamId());
            s.setString(3, anomaly.cause());
            s.executeUpdate();
        }
    }

    /**
     * Anomalies of the org changed (stored, grown or re-statused) after feed position {@code afterSeq},
     * oldest change first, whose change is older than {@code settledBefore} (so a concurrent transaction
     * holding a lower feed position has committed). An anomaly appears once, at its latest change.
     */
    List<AnomalyView> feed(String orgId, String streamId, long afterSeq, Instant settledBefore, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM anomaly WHERE org_id = ? AND feed_seq > ? AND changed_at < ?"
                + (streamId == null ? "" : " AND stream_id = ?") + " ORDER BY feed_seq LIMIT ?";
        List<Object> args = new ArrayList<>(List.of(orgId, afterSeq, Timestamp.from(settledBefore)));
        if (streamId != null) {
            args.add(streamId);
        }
        args.add(limit);
        return query(sql, args);
    }

    /** The newest feed position of the org's anomalies (0 when none): a new feed starts after it. */
    long lastSeq(String orgId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT coalesce(max(feed_seq), 0) FROM anomaly WHERE org_id = ?")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<AnomalyView> query(String sql, List<Object> args) {
        List<AnomalyView> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new AnomalyView(r.getObject(1, UUID.class), r.getLong(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getLong(6), r.getString(7), r.getDouble(8), r.getDouble(9), r.getDouble(10),
                            JSON.readTree(r.getString(11)), r.getString(12), r.getString(13), r.getString(14),
                            r.getTimestamp(15).toInstant(), r.getTimestamp(16).toInstant(), r.getTimestamp(17).toInstant(),
                            r.getString(18), r.getLong(19), r.getTimestamp(15).toInstant(), r.getTimestamp(20).toInstant(),
                            r.getLong(21), JSON.readTree(r.getString(22)), r.getLong(23), null));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
