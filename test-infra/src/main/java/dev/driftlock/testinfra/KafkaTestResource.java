package dev.driftlock.testinfra;

import dev.driftlock.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: one real Kafka broker per test JVM (started on first use, stopped when
 * the JVM exits) with every DriftLock topic created. Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                Files.createDirectories(Path.of("target"));
                Path dir = Files.createTempDirectory(Path.of("target"), "kafka-");
                broker = KafkaBroker.start(dir, FreePorts.next(), FreePorts.next());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KafkaBroker.createTopics(broker.bootstrapServers(), Topics.ALL);
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-broker-stop"));
        }
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
