package dev.driftlock.notification;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assertions;

/** Producing test events and waiting until the service consumed them. */
final class Kafka {

    static final String GROUP = "notification-service";
    /** How long asynchronous effects may take: generous, the build machines are shared and often overloaded. */
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Instant AT = Instant.parse("2026-11-21T09:00:00Z");
    private static final List<String> CONSUMED = List.of(Topics.ORGS, Topics.USAGE, Topics.QUOTA_STATE, Topics.BILLING);

    private Kafka() {
    }

    static String event(String eventId, String org, DriftlockEvent data) {
        return EventJson.write(Envelope.of(UUID.fromString(eventId), org, AT, data));
    }

    /** Sends each value {@code times} times in a row (a redelivered event), keyed by the org. */
    static void produce(KafkaCompanion kafka, String topic, String org, int times, String... values) {
        List<ProducerRecord<String, String>> records = new java.util.ArrayList<>();
        for (String value : values) {
            for (int i = 0; i < times; i++) {
                records.add(new ProducerRecord<>(topic, org, value));
            }
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion();
    }

    /** Waits until the service committed every record of the topics it consumes (so redeliveries were processed). */
    static void awaitConsumed() {
        Eventually.assertThat(WAIT, () -> {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", KafkaTestResource.bootstrapServers()))) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                Topics.ALL.stream().filter(spec -> CONSUMED.contains(spec.name())).forEach(spec -> {
                    for (int p = 0; p < spec.partitions(); p++) {
                        latest.put(new TopicPartition(spec.name(), p), OffsetSpec.latest());
                    }
                });
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                admin.listOffsets(latest).all().get().forEach((partition, end) -> {
                    long at = committed.get(partition) == null ? 0 : committed.get(partition).offset();
                    Assertions.assertEquals(end.offset(), at, "committed offset of " + partition);
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The dead letters of one org so far. */
    static List<ConsumerRecord<String, String>> deadLettersOf(List<ConsumerRecord<String, String>> all, String org) {
        return all.stream().filter(r -> org.equals(r.key())).toList();
    }
}
