package dev.driftlock.metering;

import static dev.driftlock.metering.MeteringApi.putPolicy;
import static dev.driftlock.metering.MeteringApi.usage;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftlock.events.AnomalyRetracted;
import dev.driftlock.events.AnomalyUpdated;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Incidents as the billable unit (ADR 0031) on metering's side, with records of the wire format
 * detection-service publishes: an incident's {@code anomaly.detected} counts once, its
 * {@code anomaly.updated} growth is never billed, and an {@code anomaly.retracted} (false positive)
 * lowers the period's usage by one exactly once, also after an invoice threshold was crossed.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class IncidentBillingTest {

    KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());

    @Test
    void anIncidentOfFortyEventsCountsOnceAndItsGrowthIsNotBilled() throws Exception {
        String org = "org_incident_once";
        Instant first = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        UUID incident = TestEvents.id(org + "/incident");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(incident, org, first)));
        for (int events = 2; events <= 40; events++) {
            records.add(new ProducerRecord<>(Topics.ANOMALIES, org, updated(incident, org, first, events)));
        }
        // Redelivered: the detected event and some growth again.
        records.add(new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(incident, org, first)));
        records.add(new ProducerRecord<>(Topics.ANOMALIES, org, updated(incident, org, first, 40)));
        // A later, second incident: when it is counted, everything before it on the partition was consumed.
        records.add(new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(TestEvents.id(org + "/second"), org, first)));
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        Eventually.assertThat(() -> usage(org).body("usedAnomalies", equalTo(2)));
        Thread.sleep(1000);
        usage(org).body("usedAnomalies", equalTo(2));
        assertEquals(2, MeteringDb.count("SELECT sum(anomalies) FROM daily_usage WHERE org_id = '" + org + "'"));
        assertEquals(0, MeteringDb.count("SELECT count(*) FROM processed_event WHERE event_id = '"
                + UUID.nameUUIDFromBytes(("anomaly-updated|" + incident + "|40").getBytes()) + "'"), "growth is not even recorded");
    }

    @Test
    void aFalsePositiveLowersTheUsageByOneExactlyOnceAlsoAfterTheInvoiceThresholdWasCrossed() throws Exception {
        String org = "org_retracted";
        Instant now = Instant.now();
        Instant periodStart = now.minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = periodStart.plus(30, ChronoUnit.DAYS);
        Instant detectedAt = now.minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        ConsumerTask<String, String> usageEvents = kafka.consumeStrings().fromTopics(Topics.USAGE);
        // 10 included, $10.00 per anomaly above; a mid-cycle invoice every $10.00 of overage.
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BILLING, org, TestEvents.subscription("retracted-sub", org,
                "standard", 10, 10_000_000, periodStart, periodEnd, 1))).awaitCompletion();
        Eventually.assertThat(() -> usage(org).body("plan", equalTo("standard")));
        putPolicy(org, """
                {"policy": "allow", "invoiceThresholdCents": 1000}""");
        kafka.produceStrings().fromRecords(TestEvents.anomalies(org, "retracted", 12, detectedAt)).awaitCompletion();
        Eventually.assertThat(() -> usage(org).body("usedAnomalies", equalTo(12)));
        usage(org).body("overageAnomalies", equalTo(2)).body("estimatedChargesCents", equalTo(2000));
        Eventually.assertThat(() -> assertEquals(List.of("usage.invoice_threshold_reached 1", "usage.invoice_threshold_reached 2",
                "usage.threshold_crossed 100", "usage.threshold_crossed 70", "usage.threshold_crossed 90"), facts(usageEvents, org)));

        UUID falsePositive = TestEvents.id("retracted-3");
        String retraction = """
                {"eventId":"%s","type":"anomaly.retracted","occurredAt":"%s","orgId":"%s","schemaVersion":1,
                 "data":{"anomalyId":"anm_%s","streamId":"checkout-api","detectedAt":"%s","reason":"false_positive",
                         "retractedAt":"%s"}}""".formatted(TestEvents.id("retract-3"), now, org, falsePositive, detectedAt, now);
        // The PATCH twice writes one retraction (same event id); the record is redelivered; a replayed
        // retraction of the same anomaly with another event id is still the same anomaly.
        String again = EventJson.write(Envelope.of(TestEvents.id("retract-3-replayed"), org, now,
                new AnomalyRetracted("anm_" + falsePositive, "checkout-api", detectedAt, "false_positive", now)));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ANOMALIES, org, retraction)).awaitCompletion();
        Eventually.assertThat(() -> usage(org).body("usedAnomalies", equalTo(11)));
        usage(org).body("overageAnomalies", equalTo(1)).body("estimatedChargesCents", equalTo(1000));

        UUID later = TestEvents.id("after-retraction");
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.ANOMALIES, org, retraction),
                new ProducerRecord<>(Topics.ANOMALIES, org, again),
                new ProducerRecord<>(Topics.ANOMALIES, org, TestEvents.anomaly(later, org, detectedAt))).awaitCompletion();
        // The later anomaly is consumed after the redeliveries (same partition): they changed nothing.
        Eventually.assertThat(() -> assertEquals(1, MeteringDb.count("SELECT count(*) FROM processed_event WHERE event_id = '"
                + later + "'")));
        usage(org).body("usedAnomalies", equalTo(12)).body("overageAnomalies", equalTo(2)).body("estimatedChargesCents", equalTo(2000));
        assertEquals(1, MeteringDb.count("SELECT count(*) FROM anomaly_retraction WHERE org_id = '" + org + "'"));
        assertEquals(12, MeteringDb.count("SELECT sum(anomalies) FROM daily_usage WHERE org_id = '" + org + "'"));
        // Already reached steps and thresholds are not published again, none is withdrawn.
        assertEquals(List.of("usage.invoice_threshold_reached 1", "usage.invoice_threshold_reached 2",
                "usage.threshold_crossed 100", "usage.threshold_crossed 70", "usage.threshold_crossed 90"), facts(usageEvents, org));
        usageEvents.close();
    }

    private static String updated(UUID anomalyId, String org, Instant first, int events) {
        Instant last = first.plusSeconds(events);
        return EventJson.write(Envelope.of(UUID.nameUUIDFromBytes(("anomaly-updated|" + anomalyId + "|" + events).getBytes()), org,
                last, new AnomalyUpdated(anomalyId.toString(), "checkout-api", "compression", events, first, last, 1.0)));
    }

    private static List<String> facts(ConsumerTask<String, String> task, String org) {
        List<String> facts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : List.copyOf(task.getRecords())) {
            if (org.equals(record.key())) {
                JsonNode event = MeteringApi.envelope(record.value());
                JsonNode data = event.get("data");
                facts.add(event.get("type").asText() + " " + (data.has("step") ? data.get("step") : data.get("thresholdPercent")).asText());
            }
        }
        facts.sort(null);
        return facts;
    }
}
