package dev.driftlock.metering;

import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the benchmark's anomalies to Kafka before the service starts, so that the benchmark times
 * consumption of a backlog, not the test's producer: {@code benchmark.anomalies} unique anomalies
 * (default 100,000), each {@code benchmark.copies} times (default 2), shuffled, for
 * {@code benchmark.orgs} orgs (default 20) over all partitions.
 */
public class BenchmarkBacklog implements QuarkusTestResourceLifecycleManager {

    static final int ANOMALIES = Integer.getInteger("benchmark.anomalies", 100_000);
    static final int COPIES = Integer.getInteger("benchmark.copies", 2);
    static final int ORGS = Integer.getInteger("benchmark.orgs", 20);
    static volatile double produceSeconds;

    @Override
    public Map<String, String> start() {
        Instant now = Instant.now();
        List<ProducerRecord<String, String>> records = new ArrayList<>(ANOMALIES * COPIES);
        for (int i = 0; i < ANOMALIES; i++) {
            String org = "org_bench_" + (i % ORGS);
            String anomaly = TestEvents.anomaly(new UUID(0xBE7C4L, i), org, now);
            for (int c = 0; c < COPIES; c++) {
                records.add(new ProducerRecord<>(Topics.ANOMALIES, org, anomaly));
            }
        }
        Collections.shuffle(records, new Random(42));
        long start = System.nanoTime();
        try (KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers())) {
            for (int from = 0; from < records.size(); from += 50_000) {
                kafka.produceStrings().fromRecords(records.subList(from, Math.min(records.size(), from + 50_000)))
                        .awaitCompletion(Duration.ofMinutes(5));
            }
        }
        produceSeconds = (System.nanoTime() - start) / 1e9;
        return Map.of();
    }

    @Override
    public void stop() {
        // the records stay on the per-JVM test broker
    }
}
