package dev.driftlock.metering.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.InvoiceThresholdReached;
import dev.driftlock.events.PeriodClosed;
import dev.driftlock.events.Topics;
import dev.driftlock.events.UsageEvent;
import dev.driftlock.events.UsageThresholdCrossed;
import dev.driftlock.metering.MeteringApi;
import dev.driftlock.metering.MeteringDb;
import dev.driftlock.metering.MovableClock;
import dev.driftlock.metering.TestEvents;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A period is closed once, with its exact final figures, however often and wherever the closer runs. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class PeriodCloseTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    MovableClock clock;

    @Inject
    PeriodCloser closer;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anEndedPeriodIsClosedExactlyOnceWithExactCentsAndLateAnomaliesAreNotBilled() {
        String org = "org_period_close";
        // ended 30 minutes ago: not closable before the 1 h settle delay has passed
        Instant periodEnd = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant periodStart = periodEnd.minus(25, ChronoUnit.DAYS);
        ConsumerTask<String, String> usage = kafka.consumeStrings().fromTopics(Topics.USAGE);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BILLING, org, TestEvents.subscription("close-sub", org, "standard",
                10, 15_000, periodStart, periodEnd, 1))).awaitCompletion();
        Eventually.assertThat(() -> assertEquals(1, MeteringDb.count("SELECT count(*) FROM subscription WHERE org_id = '" + org + "'")));
        // a soft cap at 240 %: 23 of 10 stays below it, 25 would cross it
        MeteringApi.putPolicy(org, """
                {"policy": "soft_cap", "capPercent": 240}""");
        anomalies(org, "close-in-period", 23, periodEnd.minus(1, ChronoUnit.HOURS));
        Eventually.assertThat(() -> assertEquals(23, counted(org, periodStart)));
        closer.closeNow().await().indefinitely();
        assertEquals(0, MeteringDb.count("SELECT count(*) FROM period_close WHERE org_id = '" + org + "'"), "the settle delay has not passed");

        // an hour later: the scheduler (every second here) and two more "instances" close at the same time
        clock.moveTo(Instant.now().plus(1, ChronoUnit.HOURS));
        CompletableFuture<Integer> first = closer.closeNow().subscribeAsCompletionStage();
        CompletableFuture<Integer> second = closer.closeNow().subscribeAsCompletionStage();
        first.join();
        second.join();
        closer.closeNow().await().indefinitely();
        MeteringDb.assertOutboxDrained();

        // 13 over the 10 included at 15,000 micros: 19.5 cents, rounded half up on the total
        PeriodClosed expected = new PeriodClosed(10, 23, 13, 20, "usd", periodStart, periodEnd, "standard");
        Eventually.assertThat(() -> assertEquals(List.of(expected), published(usage, org, PeriodClosed.class)));
        Envelope<?> envelope = List.copyOf(usage.getRecords()).stream().filter(r -> org.equals(r.key()))
                .map(r -> EventJson.read(r.value())).filter(e -> e.data() instanceof PeriodClosed).findFirst().orElseThrow();
        assertEquals(UUID.nameUUIDFromBytes(("usage-period-closed/" + org + "/" + periodStart).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                envelope.eventId());
        assertEquals(1, MeteringDb.count("SELECT count(*) FROM period_close WHERE org_id = '" + org + "'"));

        // two anomalies of the closed period arrive late: counted (history), recorded as late, nothing re-published
        anomalies(org, "close-late", 2, periodEnd.minus(1, ChronoUnit.MINUTES));
        Eventually.assertThat(() -> assertEquals(25, counted(org, periodStart)));
        Eventually.assertThat(() -> assertEquals(2, MeteringDb.count(
                "SELECT late_anomalies FROM period_close WHERE org_id = '" + org + "'")));
        closer.closeNow().await().indefinitely();
        MeteringDb.assertOutboxDrained();
        assertEquals(List.of(expected), published(usage, org, PeriodClosed.class));
        assertEquals(List.of(), published(usage, org, InvoiceThresholdReached.class));
        assertEquals(List.of(70, 90, 100), published(usage, org, UsageThresholdCrossed.class).stream()
                .map(UsageThresholdCrossed::thresholdPercent).toList(), "the closed period crosses no threshold any more");
        usage.close();
    }

    private long counted(String org, Instant periodStart) {
        return MeteringDb.count("SELECT coalesce(sum(anomalies), 0) FROM usage_counter WHERE org_id = '" + org
                + "' AND period_start = '" + periodStart + "'");
    }

    private void anomalies(String org, String name, int count, Instant detectedAt) {
        kafka.produceStrings().fromRecords(TestEvents.anomalies(org, name, count, detectedAt)).awaitCompletion();
    }

    private static <E extends UsageEvent> List<E> published(ConsumerTask<String, String> usage, String org, Class<E> type) {
        return List.copyOf(usage.getRecords()).stream()
                .filter(record -> org.equals(record.key()))
                .map(record -> EventJson.read(record.value()).data())
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
