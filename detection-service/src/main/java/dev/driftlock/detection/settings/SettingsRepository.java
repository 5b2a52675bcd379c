package dev.driftlock.detection.settings;

import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Org sensitivity and per-stream overrides; resolves a stream's effective detector config. */
@ApplicationScoped
public class SettingsRepository {

    private final AgroalDataSource dataSource;

    SettingsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The org's sensitivity, or the engine default (0.5) when never set. */
    public double orgSensitivity(String orgId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT sensitivity FROM org_settings WHERE org_id = ?")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getDouble(1) : DetectorConfig.DEFAULT_SENSITIVITY;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The org's settings change time, if ever set. */
    public Optional<Instant> orgUpdatedAt(String orgId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT updated_at FROM org_settings WHERE org_id = ?")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Instant putOrg(String orgId, double sensitivity) {
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     INSERT INTO org_settings (org_id, sensitivity, version, updated_at)
                     VALUES (?, ?, nextval('settings_version_seq'), ?)
                     ON CONFLICT (org_id) DO UPDATE SET sensitivity = EXCLUDED.sensitivity,
                         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at""")) {
            s.setString(1, orgId);
            s.setDouble(2, sensitivity);
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
            return now;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<StreamSettings> stream(String orgId, String streamId) {
        try (Connection c = dataSource.getConnection()) {
            return stream(c, orgId, streamId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<StreamSettings> stream(Connection c, String orgId, String streamId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT kind, sensitivity, include_fields, exclude_fields, updated_at
                FROM stream_settings WHERE org_id = ? AND stream_id = ?""")) {
            s.setString(1, orgId);
            s.setString(2, streamId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String kind = r.getString(1);
                double sensitivity = r.getDouble(2);
                Double override = r.wasNull() ? null : sensitivity;
                return Optional.of(new StreamSettings(kind == null ? null : InputKind.valueOf(kind), override,
                        strings(r.getArray(3)), strings(r.getArray(4)), r.getTimestamp(5).toInstant()));
            }
        }
    }

    public StreamSettings putStream(String orgId, String streamId, StreamSettings settings) {
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     INSERT INTO stream_settings (org_id, stream_id, kind, sensitivity, include_fields, exclude_fields, version, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, nextval('settings_version_seq'), ?)
                     ON CONFLICT (org_id, stream_id) DO UPDATE SET kind = EXCLUDED.kind, sensitivity = EXCLUDED.sensitivity,
                         include_fields = EXCLUDED.include_fields, exclude_fields = EXCLUDED.exclude_fields,
                         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at""")) {
            s.setString(1, orgId);
            s.setString(2, streamId);
            s.setString(3, settings.kind() == null ? null : settings.kind().name());
            if (settings.sensitivity() == null) {
                s.setNull(4, java.sql.Types.DOUBLE);
            } else {
                s.setDouble(4, settings.sensitivity());
            }
            s.setArray(5, c.createArrayOf("text", settings.includeFields().toArray()));
            s.setArray(6, c.createArrayOf("text", settings.excludeFields().toArray()));
            s.setTimestamp(7, Timestamp.from(now));
            s.executeUpdate();
            return new StreamSettings(settings.kind(), settings.sensitivity(), settings.includeFields(),
                    settings.excludeFields(), now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The highest settings version written so far (0 when none). */
    public long version(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT greatest((SELECT coalesce(max(version), 0) FROM org_settings),
                                (SELECT coalesce(max(version), 0) FROM stream_settings))""");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * The config a stream's detector runs with: the stream's overrides over the org's sensitivity.
     *
     * @param kind the stream's kind (fixed once the stream started)
     */
    public DetectorConfig effective(Connection c, String orgId, String streamId, InputKind kind) throws SQLException {
        double sensitivity;
        try (PreparedStatement s = c.prepareStatement("SELECT sensitivity FROM org_settings WHERE org_id = ?")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                sensitivity = r.next() ? r.getDouble(1) : DetectorConfig.DEFAULT_SENSITIVITY;
            }
        }
        StreamSettings overrides = stream(c, orgId, streamId).orElse(StreamSettings.NONE);
        return config(kind, sensitivity, overrides);
    }

    /** The kind a stream's settings ask for, if any. */
    public Optional<InputKind> requestedKind(Connection c, String orgId, String streamId) throws SQLException {
        return stream(c, orgId, streamId).map(StreamSettings::kind);
    }

    public static DetectorConfig config(InputKind kind, double orgSensitivity, StreamSettings overrides) {
        double sensitivity = overrides.sensitivity() == null ? orgSensitivity : overrides.sensitivity();
        return DetectorConfig.defaults(kind).withSensitivity(sensitivity)
                .withFields(new HashSet<>(overrides.includeFields()), new HashSet<>(overrides.excludeFields()));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
