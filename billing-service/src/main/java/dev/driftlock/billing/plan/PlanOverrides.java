package dev.driftlock.billing.plan;

import dev.driftlock.billing.BillingConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Applies {@code driftlock.billing.plans.<id>.*} over the Flyway-seeded catalog at startup, so an
 * environment can change a price or quota without a migration. Unknown plan ids fail startup.
 */
@ApplicationScoped
class PlanOverrides {

    private static final Logger LOG = Logger.getLogger(PlanOverrides.class);

    void apply(@Observes StartupEvent start, BillingConfig config, DataSource dataSource) throws SQLException {
        if (config.plans().isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<String, BillingConfig.PlanOverride> plan : config.plans().entrySet()) {
                update(connection, plan.getKey(), "monthly_price_cents", plan.getValue().monthlyPriceCents());
                update(connection, plan.getKey(), "included_anomalies", plan.getValue().includedAnomalies());
                update(connection, plan.getKey(), "overage_price_micros", plan.getValue().overagePriceMicros());
            }
        }
    }

    private static void update(Connection connection, String planId, String column, Optional<Long> value) throws SQLException {
        if (value.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE plan SET " + column + " = ? WHERE id = ?")) {
            update.setLong(1, value.get());
            update.setString(2, planId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("driftlock.billing.plans." + planId + " names no plan of the catalog");
            }
        }
        LOG.infof("plan %s: %s overridden to %d", planId, column, value.get());
    }
}
