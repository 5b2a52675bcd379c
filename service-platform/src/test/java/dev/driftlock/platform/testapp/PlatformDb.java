package dev.driftlock.platform.testapp;

import dev.driftlock.testinfra.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads and changes the module's test database directly. */
public final class PlatformDb {

    public static final String DATABASE = "platform";

    private PlatformDb() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresTestResource.server().jdbcUrl(DATABASE), "postgres", "postgres");
    }

    public static long count(String sql) {
        try (Connection c = connect(); ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> strings(String sql) {
        try (Connection c = connect(); ResultSet rows = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql) {
        try (Connection c = connect()) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
