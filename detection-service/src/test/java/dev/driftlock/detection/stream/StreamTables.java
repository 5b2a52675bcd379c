package dev.driftlock.detection.stream;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a stream's rows of {@code stream} and {@code stream_snapshot} (key {@code orgId/streamId}). */
final class StreamTables {

    private StreamTables() {
    }

    /** The offset the stream's saved snapshot reflects, -1 without a snapshot. */
    static long snapshotOffset(AgroalDataSource dataSource, String key) {
        return single(dataSource, "SELECT kafka_offset FROM stream_snapshot WHERE stream_key = ?", key);
    }

    /** The offset of the stream's last committed record, -1 without a stream row. */
    static long lastOffset(AgroalDataSource dataSource, String key) {
        return single(dataSource, "SELECT last_offset FROM stream WHERE id = ?", key);
    }

    private static long single(AgroalDataSource dataSource, String sql, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
