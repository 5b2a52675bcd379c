package dev.driftlock.gateway;

import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.Postgres;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The REAL detection-service behind the gateway: its packaged {@code quarkus-run.jar} (built by the
 * reactor before this module, see the pom) runs as a child process on a free port, against the
 * test Kafka and its own database {@code detection} on the test PostgreSQL, trusting the public half
 * of the key the gateway signs internal tokens with ({@link SigningKeyTestResource}).
 *
 * <p>The other tests route detection's prefixes to the WireMock stub ({@link UpstreamStubTestResource},
 * a global resource). So that no two resources set the same property, this one moves detection's
 * prefixes to an upstream of its own, {@code detection-process}, and parks the stubbed
 * {@code detection} upstream on a path nobody calls. Use it with scope {@code RESTRICTED_TO_CLASS}.
 */
public class DetectionServiceProcess implements QuarkusTestResourceLifecycleManager {

    private static final Path JAR = Path.of("..", "detection-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private Process process;

    @Override
    public Map<String, String> start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath().normalize() + " is missing: build with "
                    + "'mvn -B -ntp verify -pl gateway-service -am' (the reactor packages detection-service first)");
        }
        try {
            Postgres postgres = PostgresTestResource.server();
            postgres.createDatabase("detection");
            Files.createDirectories(Path.of("target"));
            Path publicKey = Path.of("target", "detection-internal-token.pub.pem").toAbsolutePath();
            Files.writeString(publicKey, SigningKeyTestResource.publicKeyPem());
            Path log = Path.of("target", "detection-service-process.log").toAbsolutePath();
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    "-jar", JAR.toAbsolutePath().normalize().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> env = builder.environment();
            env.put("DRIFTLOCK_HTTP_PORT", Integer.toString(port));
            env.put("DRIFTLOCK_KAFKA", KafkaTestResource.bootstrapServers());
            env.put("DRIFTLOCK_DB_JDBC_URL", postgres.jdbcUrl("detection"));
            env.put("DRIFTLOCK_DB_POOL", "4");
            env.put("DRIFTLOCK_INTERNAL_TOKEN_PUBLIC_KEY", "file:" + publicKey);
            process = builder.start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "detection-process-stop"));
            String url = "http://127.0.0.1:" + port;
            awaitReady(url, log);
            return Map.of(
                    "driftlock.gateway.upstreams.detection.prefixes", "/v1/detection-stub-unused",
                    "driftlock.gateway.upstreams.detection-process.url", url,
                    "driftlock.gateway.upstreams.detection-process.prefixes", detectionPrefixes());
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start detection-service", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitReady(String url, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("detection-service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for detection-service", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for detection-service", e);
            }
        }
        throw new IllegalStateException("detection-service not ready within " + READY_WITHIN + "; see " + log);
    }

    /** Detection's routed prefixes exactly as the gateway's application.properties lists them. */
    private static String detectionPrefixes() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DetectionServiceProcess.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties.getProperty("driftlock.gateway.upstreams.detection.prefixes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
