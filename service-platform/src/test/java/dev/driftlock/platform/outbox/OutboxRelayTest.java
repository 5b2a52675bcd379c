package dev.driftlock.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.OrgUpdated;
import dev.driftlock.platform.testapp.PlatformDb;
import dev.driftlock.platform.testapp.PlatformTestResources;
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
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox writer and relay against the real database and broker. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PlatformTestResources.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = PlatformDb.DATABASE))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @BeforeEach
    void drainEarlierRows() {
        PlatformDb.execute("DELETE FROM relay_crash");
        PlatformDb.execute("UPDATE outbox SET published_at = now() WHERE published_at IS NULL");
    }

    @AfterEach
    void disarm() {
        PlatformDb.execute("DELETE FROM relay_crash");
    }

    private static Envelope<OrgUpdated> renamed(String org, int n) {
        return Envelope.of(UUID.randomUUID(), org, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(n),
                new OrgUpdated("Acme " + n, List.of("billing@acme.test"), n));
    }

    private void append(List<Envelope<OrgUpdated>> events) {
        pool.withTransaction(conn -> {
            var chain = io.smallrye.mutiny.Uni.createFrom().voidItem();
            for (Envelope<OrgUpdated> event : events) {
                chain = chain.chain(() -> outbox.append(conn, PlatformTestResources.OUTBOX, event));
            }
            return chain;
        }).await().atMost(WAIT);
    }

    private static Map<String, List<String>> namesPerOrg(List<ConsumerRecord<String, String>> records, List<String> orgs) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (orgs.contains(record.key())) {
                OrgUpdated data = (OrgUpdated) EventJson.read(record.value()).data();
                names.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(data.name());
            }
        }
        return names;
    }

    @Test
    void eventsOfOneOrgArriveInTheOrderTheyWereWrittenAndOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> orgs = List.of("org_a_" + run, "org_b_" + run, "org_c_" + run);
        List<Envelope<OrgUpdated>> events = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            events.add(renamed(orgs.get(n % 3), n));
        }
        ConsumerTask<String, String> consumed = kafka.consumeStrings().fromTopics(PlatformTestResources.OUTBOX);
        append(events.subList(0, 20));
        // the same event id again is not written again
        append(List.of(events.get(0)));
        append(events.subList(20, 30));

        int published = 0;
        for (int round = 0; round < 10 && published < 30; round++) {
            published += relay.relay().await().atMost(WAIT);
        }

        assertEquals(30, published);
        Eventually.assertThat(() -> assertEquals(30, consumed.getRecords().stream().filter(r -> orgs.contains(r.key())).count()));
        Map<String, List<String>> names = namesPerOrg(consumed.getRecords(), orgs);
        consumed.close();
        assertEquals(List.of("Acme 0", "Acme 3", "Acme 6", "Acme 9", "Acme 12", "Acme 15", "Acme 18", "Acme 21", "Acme 24", "Acme 27"),
                names.get(orgs.get(0)));
        assertEquals(List.of("Acme 1", "Acme 4", "Acme 7", "Acme 10", "Acme 13", "Acme 16", "Acme 19", "Acme 22", "Acme 25", "Acme 28"),
                names.get(orgs.get(1)));
        assertEquals(List.of("Acme 2", "Acme 5", "Acme 8", "Acme 11", "Acme 14", "Acme 17", "Acme 20", "Acme 23", "Acme 26", "Acme 29"),
                names.get(orgs.get(2)));
        assertEquals(0, PlatformDb.count("SELECT count(*) FROM outbox WHERE published_at IS NULL"));
        assertEquals(0, relay.relay().await().atMost(WAIT));
    }

    @Test
    void aCrashBetweenSendAndMarkSendsTheRowsAgainAndLosesNone() {
        String org = "org_crash_" + UUID.randomUUID().toString().substring(0, 8);
        ConsumerTask<String, String> consumed = kafka.consumeStrings().fromTopics(PlatformTestResources.OUTBOX);
        append(List.of(renamed(org, 1), renamed(org, 2)));
        PlatformDb.execute("INSERT INTO relay_crash VALUES (true)");

        // the records reach Kafka, then marking them published fails: the transaction rolls back
        assertThrows(RuntimeException.class, () -> relay.relay().await().atMost(WAIT));
        assertEquals(2, PlatformDb.count("SELECT count(*) FROM outbox WHERE published_at IS NULL AND record_key = '" + org + "'"));
        Eventually.assertThat(() -> assertEquals(2, consumed.getRecords().stream().filter(r -> org.equals(r.key())).count()));

        PlatformDb.execute("DELETE FROM relay_crash");
        assertEquals(2, relay.relay().await().atMost(WAIT));

        Eventually.assertThat(() -> assertEquals(4, consumed.getRecords().stream().filter(r -> org.equals(r.key())).count()));
        Map<String, List<String>> names = namesPerOrg(consumed.getRecords(), List.of(org));
        List<String> eventIds = consumed.getRecords().stream().filter(r -> org.equals(r.key()))
                .map(r -> EventJson.read(r.value()).eventId().toString()).toList();
        consumed.close();
        assertEquals(List.of("Acme 1", "Acme 2", "Acme 1", "Acme 2"), names.get(org));
        assertEquals(eventIds.subList(0, 2), eventIds.subList(2, 4));
        assertEquals(0, PlatformDb.count("SELECT count(*) FROM outbox WHERE published_at IS NULL"));
    }
}
