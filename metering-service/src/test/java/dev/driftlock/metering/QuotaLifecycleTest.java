package dev.driftlock.metering;

import static dev.driftlock.metering.MeteringApi.putPolicy;
import static dev.driftlock.metering.MeteringApi.usage;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftlock.events.Topics;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Roll-over, plan changes, policy changes and dunning, as quota states on the compacted topic. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class QuotaLifecycleTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aCapBlockLiftsWhenThePeriodRollsOverAndTheNewPeriodCountsFresh() {
        String org = "org_rollover";
        Instant periodStart = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        // 25 days: never a calendar month, so the next period is 25 days long too
        Instant periodEnd = periodStart.plus(25, ChronoUnit.DAYS);
        ConsumerTask<String, String> states = kafka.consumeStrings().fromTopics(Topics.QUOTA_STATE);
        billing(org, TestEvents.subscription("rollover-sub", org, "standard", 10, 1_000, periodStart, periodEnd, 1));
        Eventually.assertThat(() -> usage(org).body("plan", equalTo("standard")));
        putPolicy(org, """
                {"policy": "hard_cap"}""");
        anomalies(org, "rollover-p1", 10, Instant.now());

        Eventually.assertThat(() -> assertEquals(List.of("blocked cap_reached hard_cap 10/10 until " + periodEnd),
                quotaStates(states, org)));

        clock.moveTo(periodEnd.plus(1, ChronoUnit.HOURS));
        Instant nextEnd = periodEnd.plus(25, ChronoUnit.DAYS);
        Eventually.assertThat(() -> assertEquals(List.of("blocked cap_reached hard_cap 10/10 until " + periodEnd,
                "ok none hard_cap 0/10 until " + nextEnd), quotaStates(states, org)));
        anomalies(org, "rollover-p2", 3, periodEnd.plus(2, ChronoUnit.HOURS));
        Eventually.assertThat(() -> usage(org).body("periodStart", equalTo(periodEnd.toString()))
                .body("periodEnd", equalTo(nextEnd.toString()))
                .body("usedAnomalies", equalTo(3))
                .body("thresholdsReached", equalTo(List.of()))
                .body("daysLeft", equalTo(25))
                .body("quota.state", equalTo("ok")));
        assertEquals(10, MeteringDb.count("SELECT anomalies FROM usage_counter WHERE org_id = 'org_rollover' AND period_start = '"
                + periodStart + "'"), "the ended period's counter is kept");
        states.close();
    }

    @Test
    void anUpgradeMidPeriodKeepsTheCountAndLiftsTheCapAndAnOlderRevisionIsIgnored() {
        String org = "org_upgrade";
        Instant periodStart = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = periodStart.plus(30, ChronoUnit.DAYS);
        ConsumerTask<String, String> states = kafka.consumeStrings().fromTopics(Topics.QUOTA_STATE);
        billing(org, TestEvents.subscription("upgrade-sub-1", org, "standard", 10, 1_000, periodStart, periodEnd, 1));
        Eventually.assertThat(() -> usage(org).body("plan", equalTo("standard")));
        putPolicy(org, """
                {"policy": "hard_cap"}""");
        anomalies(org, "upgrade", 10, Instant.now());
        Eventually.assertThat(() -> assertEquals(List.of("blocked cap_reached hard_cap 10/10 until " + periodEnd),
                quotaStates(states, org)));

        billing(org, TestEvents.subscription("upgrade-sub-2", org, "growth", 100, 500, periodStart, periodEnd, 2));
        Eventually.assertThat(() -> assertEquals(List.of("blocked cap_reached hard_cap 10/10 until " + periodEnd,
                "ok none hard_cap 10/100 until " + periodEnd), quotaStates(states, org)));
        billing(org, TestEvents.subscription("upgrade-sub-1-redelivered-late", org, "standard", 10, 1_000, periodStart, periodEnd, 1));
        Eventually.assertThat(() -> assertEquals(1, MeteringDb.count("SELECT count(*) FROM processed_event WHERE event_id = '"
                + TestEvents.id("upgrade-sub-1-redelivered-late") + "'")));
        Eventually.assertThat(() -> usage(org).body("plan", equalTo("growth"))
                .body("includedAnomalies", equalTo(100))
                .body("usedAnomalies", equalTo(10))
                .body("percentUsed", equalTo(10))
                .body("thresholdsReached", equalTo(List.of(70, 90, 100)))
                .body("quota.state", equalTo("ok")));
        assertEquals(2, quotaStates(states, org).size());
        states.close();
    }

    @Test
    void policyChangesAndDunningRepublishTheQuotaState() {
        String org = "org_policy";
        Instant periodStart = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = periodStart.plus(30, ChronoUnit.DAYS);
        ConsumerTask<String, String> states = kafka.consumeStrings().fromTopics(Topics.QUOTA_STATE);
        billing(org, TestEvents.subscription("policy-sub", org, "standard", 10, 1_000, periodStart, periodEnd, 1));
        Eventually.assertThat(() -> usage(org).body("plan", equalTo("standard")));
        anomalies(org, "policy", 12, Instant.now());
        String until = " until " + periodEnd;
        Eventually.assertThat(() -> assertEquals(List.of("warning usage_warning allow 12/10" + until), quotaStates(states, org)));

        putPolicy(org, """
                {"policy": "hard_cap"}""");
        putPolicy(org, """
                {"policy": "soft_cap", "capPercent": 150}""");
        putPolicy(org, """
                {"policy": "soft_cap", "capPercent": 120}""");
        putPolicy(org, """
                {"policy": "allow"}""");
        billing(org, TestEvents.dunning("policy-dunning-2", org, "suspended", "grace", 2));
        billing(org, TestEvents.dunning("policy-dunning-1-late", org, "ok", "grace", 1));
        Eventually.assertThat(() -> assertEquals(List.of(
                "warning usage_warning allow 12/10" + until,
                "blocked cap_reached hard_cap 12/10" + until,
                "warning usage_warning soft_cap 12/10" + until,
                "blocked cap_reached soft_cap 12/10" + until,
                "warning usage_warning allow 12/10" + until,
                "blocked payment_suspended allow 12/10" + until), quotaStates(states, org)));
        usage(org).body("quota.state", equalTo("blocked")).body("quota.reason", equalTo("payment_suspended"));

        billing(org, TestEvents.dunning("policy-dunning-3", org, "ok", "suspended", 3));
        Eventually.assertThat(() -> assertEquals("warning usage_warning allow 12/10" + until, quotaStates(states, org).getLast()));
        states.close();
    }

    private void billing(String org, String event) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BILLING, org, event)).awaitCompletion();
    }

    private void anomalies(String org, String name, int count, Instant detectedAt) {
        kafka.produceStrings().fromRecords(TestEvents.anomalies(org, name, count, detectedAt)).awaitCompletion();
    }

    /** "state reason policy used/included until periodEnd" of each quota state published for the org, in order. */
    private List<String> quotaStates(ConsumerTask<String, String> task, String org) {
        List<String> states = new ArrayList<>();
        for (ConsumerRecord<String, String> record : List.copyOf(task.getRecords())) {
            if (record.key().equals(org)) {
                JsonNode data = MeteringApi.envelope(record.value()).get("data");
                states.add(data.get("state").asText() + " " + data.get("reason").asText() + " " + data.get("policy").asText() + " "
                        + data.get("usedAnomalies").asLong() + "/" + data.get("includedAnomalies").asLong() + " until "
                        + data.get("periodEnd").asText());
            }
        }
        return states;
    }
}
