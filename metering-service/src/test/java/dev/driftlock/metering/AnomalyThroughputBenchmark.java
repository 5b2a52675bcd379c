package dev.driftlock.metering;

import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * End-to-end throughput of anomaly counting from a Kafka backlog ({@link BenchmarkBacklog}, written
 * before the service starts) to exact counters in PostgreSQL. The window is the database time from
 * the first to the last newly counted anomaly ({@code processed_event.processed_at}); the duplicate
 * copies are shuffled in, so they are consumed within the same window.
 * Not a test (surefire does not pick it up by name); run it explicitly, see docs/metering-service.md:
 * <pre>mvn -B -ntp verify -pl metering-service -am -Dtest=AnomalyThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Prints one result line and writes it to {@code target/benchmark-result.txt}.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "metering"))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = BenchmarkBacklog.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class AnomalyThroughputBenchmark {

    @Test
    void measure() throws IOException, InterruptedException {
        int anomalies = BenchmarkBacklog.ANOMALIES;
        long records = (long) anomalies * BenchmarkBacklog.COPIES;
        long counted = 0;
        while (counted < anomalies) {
            Thread.sleep(200);
            counted = MeteringDb.count("SELECT COALESCE(sum(anomalies), 0) FROM usage_counter WHERE org_id LIKE 'org_bench_%'");
        }
        double seconds = MeteringDb.count("SELECT (extract(epoch FROM max(processed_at) - min(processed_at)) * 1000)::bigint"
                + " FROM processed_event WHERE consumer = 'usage'") / 1000.0;
        String result = String.format(
                "%d anomalies x %d deliveries (%d records, %d orgs, 6 partitions, backlog produced in %.1f s) counted exactly"
                        + " (counted=%d) in %.1f s: %.0f records/s, %.0f unique anomalies/s",
                anomalies, BenchmarkBacklog.COPIES, records, BenchmarkBacklog.ORGS, BenchmarkBacklog.produceSeconds, counted,
                seconds, records / seconds, anomalies / seconds);
        System.out.println("BENCHMARK " + result);
        Files.writeString(Path.of("target", "benchmark-result.txt"), result + System.lineSeparator());
    }
}
