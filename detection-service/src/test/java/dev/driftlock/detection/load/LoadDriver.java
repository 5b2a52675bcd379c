package dev.driftlock.detection.load;

import dev.driftlock.events.AnomalyDetected;
import dev.driftlock.events.EventJson;
import dev.driftlock.events.Topics;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.Postgres;
import dev.driftlock.testinfra.PostgresTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Load driver (not a test): starts a real Kafka broker and PostgreSQL (test-infra), runs the
 * packaged detection-service as a separate process against them, POSTs batches to several streams
 * from a few client threads and waits until the last event of every stream (an incident) arrives
 * as an anomaly on {@code driftlock.anomalies.v1}. Prints sustained events/s (first POST to last
 * anomaly on the topic) and the p50/p99 latency of the ingest call. Run it through
 * {@code detection-service/load/run.sh}.
 *
 * <p>Arguments: {@code <quarkus-run.jar> [streams] [eventsPerStream] [batchSize] [clientThreads]}.
 */
public final class LoadDriver {

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int perStream = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 4;

        String kafka = KafkaTestResource.bootstrapServers();
        Postgres postgres = PostgresTestResource.server();
        String database = "detection_load_" + System.currentTimeMillis();
        postgres.createDatabase(database);
        Path key = Files.createTempFile(Path.of("target"), "internal-token", ".pub.pem");
        Files.writeString(key, InternalTokens.publicKeyPem());
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Path.of("target/load-service.log");
        ProcessBuilder service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        service.environment().put("DRIFTLOCK_HTTP_PORT", Integer.toString(port));
        service.environment().put("DRIFTLOCK_KAFKA", kafka);
        service.environment().put("DRIFTLOCK_DB_JDBC_URL", postgres.jdbcUrl(database));
        service.environment().put("DRIFTLOCK_INTERNAL_TOKEN_PUBLIC_KEY", "file:" + key.toAbsolutePath());
        Process process = service.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        waitReady(http, base, process);
        System.out.printf("service ready on %s (log %s)%n", base, log);

        String org = "org_load_" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> finals = Collections.synchronizedSet(new HashSet<>());
        List<String[]> batches = new ArrayList<>(); // streamId, body
        for (int s = 0; s < streams; s++) {
            String stream = "load-" + s;
            for (int from = 0; from < perStream; from += batchSize) {
                StringBuilder body = new StringBuilder("[");
                for (int i = from; i < Math.min(perStream, from + batchSize); i++) {
                    if (i > from) {
                        body.append(',');
                    }
                    String id = stream + "-" + i;
                    body.append("{\"eventId\":\"").append(id).append("\",\"event\":").append(event(s, i, perStream)).append('}');
                }
                batches.add(new String[] {stream, body.append(']').toString()});
            }
            finals.add(stream + "-" + (perStream - 1));
        }
        // Interleave streams the way concurrent producers would.
        List<String[]> ordered = new ArrayList<>();
        int perStreamBatches = batches.size() / streams;
        for (int b = 0; b < perStreamBatches; b++) {
            for (int s = 0; s < streams; s++) {
                ordered.add(batches.get(s * perStreamBatches + b));
            }
        }

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "load-" + org);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, String> anomalies = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        anomalies.subscribe(List.of(Topics.ANOMALIES));
        while (anomalies.assignment().isEmpty()) {
            anomalies.poll(Duration.ofMillis(100));
        }

        // Warm-up (token verification and JSON paths initialise on first use): not measured.
        for (int i = 0; i < 5; i++) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/warmup/events"))
                    .header("Authorization", "Bearer " + InternalTokens.mint(org, "load", "ingest"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"warm\":" + i + "}]")).build(), HttpResponse.BodyHandlers.discarding());
        }

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            sent.add(clients.submit(() -> {
                // each thread owns whole streams, so a stream's batches stay in order
                for (int i = 0; i < ordered.size(); i++) {
                    String[] batch = ordered.get(i);
                    int stream = Integer.parseInt(batch[0].substring(5));
                    if (stream % threads != thread) {
                        continue;
                    }
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/streams/" + batch[0] + "/events"))
                            .header("Authorization", "Bearer " + InternalTokens.mint(org, "load", "ingest"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(batch[1])).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies.add(System.nanoTime() - t0);
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("ingest answered " + response.statusCode() + ": " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        long posted = System.nanoTime();
        int anomalyCount = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!finals.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : anomalies.poll(Duration.ofMillis(100))) {
                if (org.equals(r.key())) {
                    anomalyCount++;
                    finals.remove(((AnomalyDetected) EventJson.read(r.value()).data()).eventRef());
                }
            }
        }
        long done = System.nanoTime();
        clients.shutdown();
        anomalies.close();
        process.destroy();
        process.waitFor();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long total = (long) streams * perStream;
        double seconds = (done - started) / 1e9;
        System.out.printf("streams=%d eventsPerStream=%d batch=%d clientThreads=%d%n", streams, perStream, batchSize, threads);
        System.out.printf("events=%d in %.1f s (HTTP posting took %.1f s) -> %.0f events/s sustained, HTTP ingest to anomalies topic%n",
                total, seconds, (posted - started) / 1e9, total / seconds);
        System.out.printf("ingest call latency per batch of %d: p50 %.1f ms, p99 %.1f ms (%d calls)%n", batchSize,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.size());
        System.out.printf("anomalies on the topic: %d; final incidents missing: %d%n", anomalyCount, finals.size());
        System.exit(finals.isEmpty() ? 0 : 1);
    }

    /** Ordinary API-log events; the last event of every stream is an incident. */
    static String event(int stream, int i, int perStream) {
        if (i == perStream - 1) {
            return "{\"method\":\"DELETE\",\"path\":\"/admin/purge/" + stream + "\",\"status\":500,\"ms\":9000,"
                    + "\"error\":\"java.lang.OutOfMemoryError in purge " + stream + "\"}";
        }
        String[] methods = {"GET", "GET", "GET", "POST"};
        String[] paths = {"/api/orders", "/api/cart", "/api/products", "/api/checkout"};
        return "{\"method\":\"" + methods[i % 4] + "\",\"path\":\"" + paths[(i / 3) % 4] + "\",\"status\":200,\"ms\":"
                + (20 + (i * 7) % 23) + "}";
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void waitReady(HttpClient http, String base, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("detection-service exited; see target/load-service.log");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("detection-service not ready in 3 minutes");
    }
}
