package dev.driftlock.billing;

import dev.driftlock.testinfra.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    /** Every stored Stripe event with these ids was applied, and everything in the outbox was published. */
    static boolean settled(String... stripeEventIds) {
        return count("SELECT count(*) FROM stripe_event WHERE id = ANY(?) AND processed_at IS NOT NULL", (Object) stripeEventIds) == stripeEventIds.length
                && count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0;
    }
}
