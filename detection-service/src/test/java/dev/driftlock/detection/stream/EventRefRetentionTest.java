package dev.driftlock.detection.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** event_ref retention (default 7 days) against the real PostgreSQL, with explicit timestamps. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class EventRefRetentionTest {

    @Inject
    EventRefRetention retention;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void idsFirstSeenBeforeTheRetentionAreDeletedInBatchesAndYoungerOnesKept() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // other tests' ids were seen within minutes of it
        Duration sevenDays = Duration.ofDays(7);
        insert("org_ret/s/old-1", now.minus(Duration.ofDays(30)));
        insert("org_ret/s/old-2", now.minus(Duration.ofDays(8)));
        insert("org_ret/s/old-3", now.minus(sevenDays).minusSeconds(1));
        insert("org_ret/s/old-4", now.minus(sevenDays).minusMillis(1));
        insert("org_ret/s/old-5", now.minus(Duration.ofDays(9)));
        insert("org_ret/s/edge", now.minus(sevenDays)); // exactly the retention: kept
        insert("org_ret/s/young", now.minus(Duration.ofDays(6)));
        insert("org_ret/s/new", now.minusSeconds(5));

        assertEquals(0, retention.purge(now.minus(Duration.ofDays(31)), 2)); // nothing that old yet
        assertEquals(5, retention.purge(now, 2)); // batches of 2, 2 and 1; exactly these five (no other test's id is that old)

        List<String> kept = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT ref_key FROM event_ref WHERE ref_key LIKE 'org_ret/%' ORDER BY ref_key");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                kept.add(r.getString(1));
            }
        }
        assertEquals(List.of("org_ret/s/edge", "org_ret/s/new", "org_ret/s/young"), kept);
        assertEquals(0, retention.purge(now, 2));
    }

    private void insert(String key, Instant createdAt) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO event_ref (ref_key, kafka_partition, kafka_offset, created_at) VALUES (?, 0, 0, ?)")) {
            s.setString(1, key);
            s.setTimestamp(2, Timestamp.from(createdAt));
            s.executeUpdate();
        }
    }
}
