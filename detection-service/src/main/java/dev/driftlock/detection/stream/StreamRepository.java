package dev.driftlock.detection.stream;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code stream}, {@code stream_snapshot} and {@code event_ref} tables. */
@ApplicationScoped
class StreamRepository {

    private final AgroalDataSource dataSource;

    StreamRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A stream row with its snapshot, if any. */
    record Stored(String kind, long firstOffset, long lastOffset, Long snapshotOffset, byte[] snapshot) {
    }

    /** The effects of one consumer transaction on one stream. */
    static final class Delta {
        final String key;
        final String orgId;
        final String streamId;
        final String kind;
        final int partition;
        long firstOffset = -1;
        long lastOffset = -1;
        int events;
        int anomalies;
        Instant firstEventAt;
        Instant lastEventAt;

        Delta(String key, String orgId, String streamId, String kind, int partition) {
            this.key = key;
            this.orgId = orgId;
            this.streamId = streamId;
            this.kind = kind;
            this.partition = partition;
        }

        void advance(IngestRecord record, boolean counted) {
            if (firstOffset < 0) {
                firstOffset = record.offset();
                firstEventAt = record.timestamp();
            }
            lastOffset = record.offset();
            lastEventAt = record.timestamp();
            if (counted) {
                events++;
            }
        }
    }

    /** A detector snapshot to save. */
    record Snapshot(String key, int partition, long offset, byte[] bytes) {
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    Optional<Stored> load(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT s.kind, s.first_offset, s.last_offset, ss.kafka_offset, ss.snapshot
                FROM stream s LEFT JOIN stream_snapshot ss ON ss.stream_key = s.id WHERE s.id = ?""")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long snapshotOffset = r.getLong(4);
                Long snapshotAt = r.wasNull() ? null : snapshotOffset;
                return Optional.of(new Stored(r.getString(1), r.getLong(2), r.getLong(3), snapshotAt, r.getBytes(5)));
            }
        }
    }

    /**
     * The first offset of {@code partition} a new owner must read so every stream on it can rebuild
     * its detector from its snapshot (or from its first event), or -1 if the partition has no streams.
     */
    long replayFrom(Connection c, int partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT min(coalesce(ss.kafka_offset, s.first_offset - 1)) + 1
                FROM stream s LEFT JOIN stream_snapshot ss ON ss.stream_key = s.id WHERE s.last_partition = ?""")) {
            s.setInt(1, partition);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long from = r.getLong(1);
                return r.wasNull() ? -1 : from;
            }
        }
    }

    /** Offsets at which the given client event ids were first seen. */
    Map<String, Long> refs(Connection c, Collection<String> refKeys) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        if (refKeys.isEmpty()) {
            return found;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT ref_key, kafka_offset FROM event_ref WHERE ref_key = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", refKeys.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return found;
    }

    void insertRefs(Connection c, int partition, Map<String, Long> refs) throws SQLException {
        if (refs.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO event_ref (ref_key, kafka_partition, kafka_offset) VALUES (?, ?, ?) ON CONFLICT (ref_key) DO NOTHING""")) {
            for (Map.Entry<String, Long> ref : refs.entrySet()) {
                s.setString(1, ref.getKey());
                s.setInt(2, partition);
                s.setLong(3, ref.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Deletes up to {@code limit} client event ids first seen before {@code cutoff}, oldest first, in
     * one statement (its own transaction).
     *
     * @return how many were deleted
     */
    int deleteRefsBefore(Instant cutoff, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     DELETE FROM event_ref WHERE ref_key IN (
                         SELECT ref_key FROM event_ref WHERE created_at < ? ORDER BY created_at LIMIT ?)""")) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setInt(2, limit);
            return s.executeUpdate();
        }
    }

    void apply(Connection c, Collection<Delta> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO stream (id, org_id, stream_id, kind, events_seen, anomalies, last_partition, last_offset, first_offset,
                                    first_event_at, last_event_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET events_seen = stream.events_seen + EXCLUDED.events_seen,
                    anomalies = stream.anomalies + EXCLUDED.anomalies, last_partition = EXCLUDED.last_partition,
                    last_offset = EXCLUDED.last_offset, last_event_at = EXCLUDED.last_event_at,
                    kind = coalesce(stream.kind, EXCLUDED.kind)""")) {
            for (Delta d : deltas) {
                s.setString(1, d.key);
                s.setString(2, d.orgId);
                s.setString(3, d.streamId);
                s.setString(4, d.kind);
                s.setLong(5, d.events);
                s.setLong(6, d.anomalies);
                s.setInt(7, d.partition);
                s.setLong(8, d.lastOffset);
                s.setLong(9, d.firstOffset);
                s.setTimestamp(10, Timestamp.from(d.firstEventAt));
                s.setTimestamp(11, Timestamp.from(d.lastEventAt));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    void saveSnapshots(Connection c, Collection<Snapshot> snapshots) throws SQLException {
        if (snapshots.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO stream_snapshot (stream_key, kafka_partition, kafka_offset, snapshot, taken_at) VALUES (?, ?, ?, ?, now())
                ON CONFLICT (stream_key) DO UPDATE SET kafka_partition = EXCLUDED.kafka_partition,
                    kafka_offset = EXCLUDED.kafka_offset, snapshot = EXCLUDED.snapshot, taken_at = EXCLUDED.taken_at""")) {
            for (Snapshot snapshot : snapshots) {
                s.setString(1, snapshot.key());
                s.setInt(2, snapshot.partition());
                s.setLong(3, snapshot.offset());
                s.setBytes(4, snapshot.bytes());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Saves snapshots in their own transaction (revocation, eviction, shutdown). */
    void saveSnapshots(Collection<Snapshot> snapshots) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            saveSnapshots(c, snapshots);
        }
    }

    /** A false_positive's "this cause is normal" for a stream's detector, not applied yet. */
    record Feedback(java.util.UUID anomalyId, String streamKey, String cause) {
    }

    /** Pending feedback of these streams, oldest first. */
    List<Feedback> pendingFeedback(Connection c, Collection<String> keys) throws SQLException {
        List<Feedback> pending = new ArrayList<>();
        if (keys.isEmpty()) {
            return pending;
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT anomaly_id, stream_key, cause FROM stream_feedback
                WHERE applied_at IS NULL AND stream_key = ANY (?) ORDER BY created_at, anomaly_id""")) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pending.add(new Feedback(r.getObject(1, java.util.UUID.class), r.getString(2), r.getString(3)));
                }
            }
        }
        return pending;
    }

    /** Marks feedback applied at the stream's offset; false when another owner applied it first. */
    boolean feedbackApplied(Connection c, java.util.UUID anomalyId, long offset, boolean learned) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE stream_feedback SET applied_at = now(), applied_offset = ?, learned = ?
                WHERE anomaly_id = ? AND applied_at IS NULL""")) {
            s.setLong(1, offset);
            s.setBoolean(2, learned);
            s.setObject(3, anomalyId);
            return s.executeUpdate() == 1;
        }
    }

    List<StreamView> list(String orgId) {
        return query("WHERE org_id = ? ORDER BY stream_id", List.of(orgId));
    }

    Optional<StreamView> find(String orgId, String streamId) {
        return query("WHERE org_id = ? AND stream_id = ?", List.of(orgId, streamId)).stream().findFirst();
    }

    private List<StreamView> query(String where, List<Object> args) {
        List<StreamView> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT stream_id, kind, events_seen, anomalies, first_event_at, last_event_at FROM stream " + where)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new StreamView(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                            r.getTimestamp(5).toInstant(), r.getTimestamp(6).toInstant(), null, null));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
