package dev.driftlock.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.platform.testapp.PlatformDb;
import dev.driftlock.platform.testapp.PlatformTestResources;
import dev.driftlock.testinfra.DeadLetters;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The inbox against the real broker and database: idempotent effects, and the failure policy of docs/adr/0003. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PlatformTestResources.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = PlatformDb.DATABASE))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class InboxTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    ProcessedEvents processed;

    @Inject
    Pool pool;

    private static String orgCreated(UUID eventId, String org) {
        return EventJson.write(Envelope.of(eventId, org, Instant.parse("2026-12-01T10:00:00Z"),
                new OrgCreated("Acme", List.of("billing@acme.test"), "user_1", "owner@acme.test")));
    }

    private static long applied(String org) {
        return PlatformDb.count("SELECT count(*) FROM applied_event WHERE org_id = '" + org + "'");
    }

    @Test
    void aRecordDeliveredThreeTimesIsAppliedOnce() {
        String org = "org_dup_" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String value = orgCreated(eventId, org);
        for (int i = 0; i < 3; i++) {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(PlatformTestResources.ORGS, org, value)).awaitCompletion();
        }
        String marker = "org_after_dup_" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(PlatformTestResources.ORGS, marker, orgCreated(UUID.randomUUID(), marker)))
                .awaitCompletion();

        Eventually.assertThat(() -> assertEquals(1, applied(marker)));
        assertEquals(1, applied(org));
        assertEquals(1, PlatformDb.count("SELECT count(*) FROM processed_event WHERE event_id = '" + eventId + "'"));
    }

    @Test
    void concurrentDeliveriesOfOneEventLetExactlyOneApplyIt() throws InterruptedException {
        UUID eventId = UUID.randomUUID();
        int deliveries = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Boolean> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // each delivery holds its transaction open a little, so the others wait on its key
                Boolean first = pool.withTransaction(conn -> processed.firstTime(conn, eventId, "concurrent")
                                .call(() -> conn.query("SELECT pg_sleep(0.05)").execute()))
                        .await().atMost(Duration.ofSeconds(30));
                synchronized (answers) {
                    answers.add(first);
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(deliveries, answers.size());
        assertEquals(1, answers.stream().filter(Boolean::booleanValue).count());
        assertEquals(1, PlatformDb.count("SELECT count(*) FROM processed_event WHERE event_id = '" + eventId + "' AND consumer = 'concurrent'"));
    }

    @Test
    void aBatchAnswersOnlyTheEventsNotProcessedBefore() {
        UUID seen = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        pool.withTransaction(conn -> processed.firstTime(conn, seen, "batch")).await().atMost(Duration.ofSeconds(10));

        var firstTimes = pool.withTransaction(conn -> processed.firstTimes(conn, List.of(seen, fresh, fresh), "batch"))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(java.util.Set.of(fresh), firstTimes);
        assertEquals(java.util.Set.of(),
                pool.withTransaction(conn -> processed.firstTimes(conn, List.of(seen, fresh), "batch")).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsReasonAndThePartitionMovesOn() {
        ConsumerTask<String, String> deadLetters = kafka.consumeStrings().fromTopics(PlatformTestResources.DLQ);
        String org = "org_poison_" + UUID.randomUUID();
        String notJson = "{not json";
        String wrongTopic = EventJson.write(Envelope.of(UUID.randomUUID(), org, Instant.parse("2026-12-01T10:00:00Z"),
                new QuotaStateChanged("blocked", "cap_reached", "hard_cap", 1000, 1000, 100,
                        Instant.parse("2026-12-31T00:00:00Z"), "The org reached its cap.")));
        UUID goodId = UUID.randomUUID();
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(PlatformTestResources.ORGS, org, notJson),
                new ProducerRecord<>(PlatformTestResources.ORGS, org, wrongTopic),
                new ProducerRecord<>(PlatformTestResources.ORGS, org, orgCreated(goodId, org))).awaitCompletion();

        Eventually.assertThat(() -> assertEquals(1, applied(org)));
        assertEquals(List.of(goodId.toString()),
                PlatformDb.strings("SELECT event_id::text FROM applied_event WHERE org_id = '" + org + "'"));
        Eventually.assertThat(() -> assertEquals(2, deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).count()));
        List<ConsumerRecord<String, String>> mine = deadLetters.getRecords().stream().filter(r -> org.equals(r.key())).toList();
        deadLetters.close();
        assertEquals(notJson, mine.get(0).value());
        assertEquals(wrongTopic, mine.get(1).value());
        assertEquals("quota.state_changed does not belong on " + PlatformTestResources.ORGS, DeadLetters.reason(mine.get(1)));
        assertEquals(true, DeadLetters.reason(mine.get(0)).startsWith("not valid JSON: "), DeadLetters.reason(mine.get(0)));
        assertEquals(PlatformTestResources.ORGS, header(mine.get(1), "dead-letter-topic"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static EventDispatcher dispatcherWithThreeRetries() {
        return new EventDispatcher(new InboxConfig() {
            @Override
            public int processingRetries() {
                return 3;
            }

            @Override
            public Duration firstBackoff() {
                return Duration.ofMillis(1);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofMillis(2);
            }
        });
    }

    static final class Refused extends RuntimeException implements PermanentFailure {
        Refused(String reason) {
            super(reason);
        }
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        int[] attempts = {0};
        Uni<Void> effect = Uni.createFrom().voidItem().invoke(() -> {
            attempts[0]++;
            throw new Refused("recipient refused for good");
        });
        Refused failure = org.junit.jupiter.api.Assertions.assertThrows(Refused.class,
                () -> dispatcherWithThreeRetries().retried(effect).await().atMost(Duration.ofSeconds(10)));
        assertEquals("recipient refused for good", failure.getMessage());
        assertEquals(1, attempts[0]);
    }

    @Test
    void aFailingEffectIsRetriedBeforeItFails() {
        EventDispatcher dispatcher = dispatcherWithThreeRetries();
        int[] attempts = {0};
        Uni<Void> effect = Uni.createFrom().voidItem().invoke(() -> {
            attempts[0]++;
            if (attempts[0] < 4) {
                throw new IllegalStateException("database restarting");
            }
        });
        dispatcher.retried(effect).await().atMost(Duration.ofSeconds(10));
        assertEquals(4, attempts[0]);
    }
}
