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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * 100,000 anomalies for three orgs, each delivered twice, shuffled, over two partitions read by two
 * consumers: exact counts, exact cents, exactly one event per threshold and invoice step crossed.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class ExactlyOnceCountingTest {

    static final String ALLOW_ORG = "org_bulk_allow";
    static final String SOFT_CAP_ORG = "org_bulk_soft_cap";
    static final String FREE_ORG = "org_bulk_free";
    static final Map<String, Integer> ANOMALIES = Map.of(ALLOW_ORG, 45_001, SOFT_CAP_ORG, 40_000, FREE_ORG, 14_999);
    /** Two of the topic's partitions, assigned to different consumers of the group by both range and round-robin assignors. */
    static final int[] PARTITIONS = {0, 5};

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void everyAnomalyCountsOnceAndEveryThresholdIsPublishedOnce() throws Exception {
        Instant now = Instant.now();
        Instant periodStart = now.minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = periodStart.plus(30, ChronoUnit.DAYS);
        ConsumerTask<String, String> usageEvents = kafka.consumeStrings().fromTopics(Topics.USAGE);
        ConsumerTask<String, String> quotaStates = kafka.consumeStrings().fromTopics(Topics.QUOTA_STATE);

        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.BILLING, ALLOW_ORG, TestEvents.subscription("bulk-sub-allow", ALLOW_ORG, "standard",
                        10_000, 1_234, periodStart, periodEnd, 1)),
                new ProducerRecord<>(Topics.BILLING, SOFT_CAP_ORG, TestEvents.subscription("bulk-sub-soft", SOFT_CAP_ORG, "standard",
                        10_000, 2_500, periodStart, periodEnd, 1))).awaitCompletion();
        putPolicy(ALLOW_ORG, """
                {"policy": "allow", "invoiceThresholdCents": 1000}""");
        putPolicy(SOFT_CAP_ORG, """
                {"policy": "soft_cap", "capPercent": 150, "invoiceThresholdCents": 1000}""");
        Eventually.assertThat(() -> {
            usage(ALLOW_ORG).body("plan", equalTo("standard"));
            usage(SOFT_CAP_ORG).body("plan", equalTo("standard"));
        });

        List<ProducerRecord<String, String>> deliveries = new ArrayList<>(200_000);
        Random random = new Random(20261121);
        for (Map.Entry<String, Integer> org : new TreeMap<>(ANOMALIES).entrySet()) {
            for (int i = 0; i < org.getValue(); i++) {
                UUID eventId = new UUID(org.getKey().hashCode(), i);
                String anomaly = TestEvents.anomaly(eventId, org.getKey(), now);
                for (int copy = 0; copy < 2; copy++) {
                    deliveries.add(new ProducerRecord<>(Topics.ANOMALIES, PARTITIONS[random.nextInt(2)], org.getKey(), anomaly));
                }
            }
        }
        Collections.shuffle(deliveries, random);
        for (int from = 0; from < deliveries.size(); from += 50_000) {
            kafka.produceStrings().fromRecords(deliveries.subList(from, from + 50_000)).awaitCompletion(Duration.ofMinutes(10));
        }
        deliveries = null;

        Eventually.assertThat(Duration.ofMinutes(10), () -> {
            usage(ALLOW_ORG).body("usedAnomalies", equalTo(45_001));
            usage(SOFT_CAP_ORG).body("usedAnomalies", equalTo(40_000));
            usage(FREE_ORG).body("usedAnomalies", equalTo(14_999));
        });
        // 35,001 overage x 1,234 micros = 4,319.1234 cents; 30,000 x 2,500 micros = 7,500 cents
        usage(ALLOW_ORG).body("includedUsed", equalTo(10_000)).body("overageAnomalies", equalTo(35_001)).body("estimatedChargesCents", equalTo(4_319))
                .body("thresholdsReached", equalTo(List.of(70, 90, 100)))
                .body("quota.state", equalTo("warning")).body("quota.reason", equalTo("usage_warning"));
        usage(SOFT_CAP_ORG).body("overageAnomalies", equalTo(30_000)).body("estimatedChargesCents", equalTo(7_500))
                .body("percentUsed", equalTo(400)).body("thresholdsReached", equalTo(List.of(70, 90, 100, 150)))
                .body("quota.state", equalTo("blocked")).body("quota.reason", equalTo("cap_reached"));
        usage(FREE_ORG).body("plan", equalTo("developer")).body("includedAnomalies", equalTo(1000))
                .body("includedUsed", equalTo(1000)).body("overageAnomalies", equalTo(13_999)).body("estimatedChargesCents", equalTo(0))
                .body("thresholdsReached", equalTo(List.of(70, 90, 100)))
                .body("quota.state", equalTo("blocked")).body("quota.policy", equalTo("hard_cap"));
        assertEquals(100_000, MeteringDb.count("SELECT sum(anomalies) FROM daily_usage WHERE org_id LIKE 'org_bulk_%'"));

        MeteringDb.assertOutboxDrained();
        List<String> expected = List.of(
                "org_bulk_allow usage.invoice_threshold_reached 1", "org_bulk_allow usage.invoice_threshold_reached 2",
                "org_bulk_allow usage.invoice_threshold_reached 3", "org_bulk_allow usage.invoice_threshold_reached 4",
                "org_bulk_allow usage.threshold_crossed 100", "org_bulk_allow usage.threshold_crossed 70",
                "org_bulk_allow usage.threshold_crossed 90",
                "org_bulk_free usage.threshold_crossed 100", "org_bulk_free usage.threshold_crossed 70",
                "org_bulk_free usage.threshold_crossed 90",
                "org_bulk_soft_cap usage.invoice_threshold_reached 1", "org_bulk_soft_cap usage.invoice_threshold_reached 2",
                "org_bulk_soft_cap usage.invoice_threshold_reached 3", "org_bulk_soft_cap usage.invoice_threshold_reached 4",
                "org_bulk_soft_cap usage.invoice_threshold_reached 5", "org_bulk_soft_cap usage.invoice_threshold_reached 6",
                "org_bulk_soft_cap usage.invoice_threshold_reached 7",
                "org_bulk_soft_cap usage.threshold_crossed 100", "org_bulk_soft_cap usage.threshold_crossed 150",
                "org_bulk_soft_cap usage.threshold_crossed 70", "org_bulk_soft_cap usage.threshold_crossed 90");
        Eventually.assertThat(() -> assertEquals(expected, usageFacts(usageEvents)));
        Thread.sleep(1_000);
        assertEquals(expected, usageFacts(usageEvents), "no event is published twice");
        Eventually.assertThat(() -> {
            assertEquals("warning usage_warning allow", lastQuotaState(quotaStates, ALLOW_ORG));
            assertEquals("blocked cap_reached soft_cap", lastQuotaState(quotaStates, SOFT_CAP_ORG));
            assertEquals("blocked cap_reached hard_cap", lastQuotaState(quotaStates, FREE_ORG));
        });
        usageEvents.close();
        quotaStates.close();
    }

    /** "org type threshold-or-step" of this test's orgs' usage events, sorted. */
    private List<String> usageFacts(ConsumerTask<String, String> task) {
        List<String> facts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : List.copyOf(task.getRecords())) {
            if (!record.key().startsWith("org_bulk_")) {
                continue;
            }
            JsonNode event = MeteringApi.envelope(record.value());
            JsonNode data = event.get("data");
            String value = data.has("step") ? data.get("step").asText() : data.get("thresholdPercent").asText();
            facts.add(record.key() + " " + event.get("type").asText() + " " + value);
        }
        Collections.sort(facts);
        return facts;
    }

    private String lastQuotaState(ConsumerTask<String, String> task, String org) {
        String last = null;
        for (ConsumerRecord<String, String> record : List.copyOf(task.getRecords())) {
            if (record.key().equals(org)) {
                JsonNode data = MeteringApi.envelope(record.value()).get("data");
                last = data.get("state").asText() + " " + data.get("reason").asText() + " " + data.get("policy").asText();
            }
        }
        return last;
    }
}
