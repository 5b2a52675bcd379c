package dev.driftlock.metering;

import dev.driftlock.testinfra.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the metering test database directly (for facts the API does not show). */
public final class MeteringDb {

    private MeteringDb() {
    }

    public static long count(String sql) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("metering"), "postgres", "postgres");
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("metering"), "postgres", "postgres")) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void assertOutboxDrained() {
        dev.driftlock.testinfra.Eventually.assertThat(() -> org.junit.jupiter.api.Assertions.assertEquals(0,
                count("SELECT count(*) FROM outbox WHERE published_at IS NULL")));
    }
}
