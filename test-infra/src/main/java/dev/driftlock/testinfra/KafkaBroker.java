package dev.driftlock.testinfra;

import dev.driftlock.events.Topics.TopicSpec;
import dev.driftlock.kafkaruntime.BrokerMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) in its own JVM,
 * started from the broker jars that the {@code kafka-runtime} module resolved from Maven.
 * Its own JVM keeps Scala and the broker's dependencies off the caller's classpath.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker with its log directory under {@code workDir}; an existing, already formatted
     * directory is reused, so data survives a restart.
     */
    public static KafkaBroker start(Path workDir, int port, int controllerPort) {
        try {
            Files.createDirectories(workDir);
            Path dataDir = workDir.resolve("data");
            Path config = workDir.resolve("server.properties");
            Files.writeString(config, serverProperties(dataDir, port, controllerPort));
            String classpath = brokerClasspath();
            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                run(List.of(javaExecutable(), "-Xmx128m", "-cp", classpath, "kafka.tools.StorageTool",
                        "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), workDir.resolve("format.log"));
            }
            Process broker = new ProcessBuilder(javaExecutable(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Ddriftlock.parent.pid=" + ProcessHandle.current().pid(),
                    "-cp", launcherLocation() + File.pathSeparator + classpath, "dev.driftlock.kafkaruntime.BrokerMain",
                    config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("broker.log").toFile())
                    .start();
            KafkaBroker kafka = new KafkaBroker(broker, "127.0.0.1:" + port);
            kafka.awaitReady(workDir.resolve("broker.log"));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka in " + workDir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    /** Creates the topics that do not exist yet, on the given bootstrap servers. */
    public static void createTopics(String bootstrapServers, List<TopicSpec> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> requests = new ArrayList<>();
            for (TopicSpec spec : topics) {
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1);
                if (spec.compacted()) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                requests.add(topic);
            }
            admin.createTopics(requests).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        awaitPort(log, deadline);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    sleep(250);
                }
            }
        }
        close();
        throw new IllegalStateException("Kafka not ready within " + READY_TIMEOUT + "; see " + log);
    }

    /** Waits until the listener accepts connections, so the admin client does not log refusals. */
    private void awaitPort(Path log, long deadline) {
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
    }

    private static String serverProperties(Path dataDir, int port, int controllerPort) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=3
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                log.retention.hours=168
                log.segment.bytes=16777216
                """.formatted(port, controllerPort, dataDir.toAbsolutePath());
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getClassLoader().getResourceAsStream("driftlock/kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("driftlock/kafka-broker.classpath missing: build the kafka-runtime module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** The kafka-runtime jar (or classes directory) holding {@code BrokerMain}. */
    private static String launcherLocation() {
        try {
            return Path.of(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 180 s: " + String.join(" ", command.subList(3, command.size()))
                        + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit code " + process.exitValue() + ": "
                        + String.join(" ", command.subList(3, command.size())) + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
