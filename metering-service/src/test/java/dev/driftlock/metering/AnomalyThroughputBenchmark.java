package dev.driftlock.metering;

import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ProducerTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * End-to-end throughput of anomaly counting: produces {@code benchmark.anomalies} unique anomalies
 * (each {@code benchmark.copies} times, shuffled) for {@code benchmark.orgs} orgs over all partitions
 * of the anomalies topic, and times from the first record sent until the counters hold every anomaly.
 * Not a test (surefire does not pick it up by name); run it explicitly, see docs/metering-service.md:
 * <pre>mvn -B -ntp verify -pl metering-service -am -Dtest=AnomalyThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Prints one result line and writes it to {@code target/benchmark-result.txt}.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class AnomalyThroughputBenchmark {

    @Test
    void measure() throws IOException, InterruptedException {
        int anomalies = Integer.getInteger("benchmark.anomalies", 100_000);
        int copies = Integer.getInteger("benchmark.copies", 2);
        int orgs = Integer.getInteger("benchmark.orgs", 20);
        KafkaCompanion kafka = new KafkaCompanion(KafkaTestResource.bootstrapServers());
        Instant now = Instant.now();
        List<ProducerRecord<String, String>> records = new ArrayList<>(anomalies * copies);
        for (int i = 0; i < anomalies; i++) {
            String org = "org_bench_" + (i % orgs);
            String anomaly = TestEvents.anomaly(new UUID(0xBE7C4L, i), org, now);
            for (int c = 0; c < copies; c++) {
                records.add(new ProducerRecord<>(Topics.ANOMALIES, org, anomaly));
            }
        }
        Collections.shuffle(records, new Random(42));

        long start = System.nanoTime();
        ProducerTask producing = kafka.produceStrings().fromRecords(records);
        long counted = 0;
        while (counted < anomalies) {
            Thread.sleep(100);
            counted = MeteringDb.count("SELECT COALESCE(sum(anomalies), 0) FROM usage_counter WHERE org_id LIKE 'org_bench_%'");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        producing.awaitCompletion();
        String result = String.format(
                "%d anomalies x %d deliveries (%d records, %d orgs, %d partitions) counted exactly in %.1f s: %.0f records/s, %.0f unique anomalies/s; counted=%d",
                anomalies, copies, records.size(), orgs, 6, seconds, records.size() / seconds, anomalies / seconds, counted);
        System.out.println("BENCHMARK " + result);
        Files.writeString(Path.of("target", "benchmark-result.txt"), result + System.lineSeparator());
    }
}
