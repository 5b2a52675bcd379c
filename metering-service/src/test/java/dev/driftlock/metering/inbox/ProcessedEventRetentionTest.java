package dev.driftlock.metering.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.metering.MeteringDb;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idempotent-consumer record is kept 45 days (the default), then deleted in batches (2 in tests). */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class ProcessedEventRetentionTest {

    private static final String CONSUMER = "retention-test";

    @Inject
    ProcessedEventRetention retention;

    @Test
    void recordsOlderThanTheRetentionAreDeletedInBatchesAndYoungerOnesKept() {
        MeteringDb.execute("""
                INSERT INTO processed_event (event_id, consumer, processed_at) VALUES
                  ('00000000-0000-4000-8000-00000000a001', 'retention-test', now() - interval '400 days'),
                  ('00000000-0000-4000-8000-00000000a002', 'retention-test', now() - interval '60 days'),
                  ('00000000-0000-4000-8000-00000000a003', 'retention-test', now() - interval '46 days'),
                  ('00000000-0000-4000-8000-00000000a004', 'retention-test', now() - interval '45 days 1 hour'),
                  ('00000000-0000-4000-8000-00000000a005', 'retention-test', now() - interval '45 days 1 minute'),
                  ('00000000-0000-4000-8000-00000000b001', 'retention-test', now() - interval '44 days 23 hours'),
                  ('00000000-0000-4000-8000-00000000b002', 'retention-test', now() - interval '8 days'),
                  ('00000000-0000-4000-8000-00000000b003', 'retention-test', now())
                """);

        assertEquals(5L, retention.cleanupNow().await().atMost(Duration.ofSeconds(30)));

        assertEquals(3, MeteringDb.count("SELECT count(*) FROM processed_event WHERE consumer = '" + CONSUMER + "'"));
        assertEquals(0, MeteringDb.count("""
                SELECT count(*) FROM processed_event WHERE consumer = 'retention-test'
                  AND event_id::text NOT LIKE '00000000-0000-4000-8000-00000000b%'"""));
        assertEquals(0L, retention.cleanupNow().await().atMost(Duration.ofSeconds(30)));
    }
}
