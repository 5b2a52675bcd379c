package dev.driftlock.detection.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.detection.Api;
import dev.driftlock.detection.Metrics;
import dev.driftlock.detection.Traffic;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Periodic snapshots and idle eviction of stream detectors (ADR 0501), with short intervals. */
@QuarkusTest
@TestProfile(ShortIntervalsProfile.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "detection"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class StreamStateTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    IngestConsumer consumer;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aStreamThatScoredEventsIsSnapshottedAtItsExactOffsetOnceTheIntervalPassesWhileStillLive() {
        String org = "org_periodic";
        List<ProducerRecord<String, String>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(Api.ingest(org, "burst", "p-" + i, Traffic.event(i)));
        }
        long lastOffset = kafka.produceStrings().fromRecords(burst).awaitCompletion().lastOffset();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "burst", 50));

        // No further event arrives: the periodic check (not an event, not eviction) saves the snapshot.
        Eventually.assertThat(Duration.ofSeconds(20), () -> assertEquals(lastOffset, StreamTables.snapshotOffset(dataSource, org + "/burst")));
        assertTrue(consumer.live(org + "/burst"), "saved periodically while live, not on eviction");
        assertEquals(lastOffset, StreamTables.lastOffset(dataSource, org + "/burst"));
    }

    @Test
    void anIdleStreamIsEvictedToItsSnapshotAndRestoredWithTheVerdictsOfAnUninterruptedRun() {
        String org = "org_idle";
        String key = org + "/quiet";
        List<String> events = Traffic.events();
        List<ProducerRecord<String, String>> first = new ArrayList<>();
        List<ProducerRecord<String, String>> rest = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            (i < 300 ? first : rest).add(Api.ingest(org, "quiet", "e-" + i, events.get(i)));
        }
        long lastOfFirst = kafka.produceStrings().fromRecords(first).awaitCompletion().lastOffset();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "quiet", 300));

        // After 6 s without events every stream (this one and any restored at startup) is evicted.
        Eventually.assertThat(Duration.ofSeconds(30), () -> {
            assertFalse(consumer.live(key));
            assertEquals(0.0, Metrics.value("driftlock_detection_streams_active"));
        });
        assertEquals(lastOfFirst, StreamTables.snapshotOffset(dataSource, key));
        double ingestedBefore = Metrics.value("driftlock_detection_events_ingested_total");
        double replayedBefore = Metrics.value("driftlock_detection_events_replayed_total");

        kafka.produceStrings().fromRecords(rest).awaitCompletion();
        Eventually.assertThat(Duration.ofSeconds(60), () -> Api.assertEventsSeen(org, "quiet", 400));
        assertTrue(consumer.live(key));
        assertEquals(1.0, Metrics.value("driftlock_detection_streams_active"));
        // Restored from the snapshot: nothing re-scored, the next 100 events scored once, the same anomalies.
        assertEquals(100.0, Metrics.value("driftlock_detection_events_ingested_total") - ingestedBefore);
        assertEquals(0.0, Metrics.value("driftlock_detection_events_replayed_total") - replayedBefore);
        DetectionFlowTest.assertMatchesReference(Traffic.incidents(events), Api.anomalies(org, "quiet"), true);
    }
}
