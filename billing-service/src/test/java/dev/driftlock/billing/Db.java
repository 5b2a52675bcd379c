package dev.driftlock.billing;

import dev.driftlock.testinfra.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the billing test database directly (to know that asynchronous work has finished). */
final class Db {

    private Db() {
    }

    static long count(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("billing"), "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int update(String sql) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("billing"), "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of the first row of a query, as longs (null stays null); empty when there is no row. */
    static List<Long> longs(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("billing"), "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Long> values = new ArrayList<>();
                if (rows.next()) {
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        long value = rows.getLong(c);
                        values.add(rows.wasNull() ? null : value);
                    }
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored Stripe event with these ids was applied, and everything in the outbox was published. */
    static boolean settled(String... stripeEventIds) {
        return count("SELECT count(*) FROM stripe_event WHERE id = ANY(?) AND processed_at IS NOT NULL", (Object) stripeEventIds) == stripeEventIds.length
                && count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0;
    }

    /** Every row of a query, its columns joined with {@code " | "} (null as {@code null}), in the query's order. */
    static List<String> rows(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(PostgresTestResource.server().jdbcUrl("billing"), "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    List<String> columns = new ArrayList<>();
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        columns.add(String.valueOf(rows.getString(c)));
                    }
                    values.add(String.join(" | ", columns));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The org's audit rows whose action starts with {@code prefix}: action | detail | reason | stripe ids | actor, oldest first. */
    static List<String> audit(String org, String prefix) {
        return rows("SELECT action, detail, reason, stripe_ids, actor FROM audit_log WHERE org_id = ? AND action LIKE ? ORDER BY id",
                org, prefix + "%");
    }
}
