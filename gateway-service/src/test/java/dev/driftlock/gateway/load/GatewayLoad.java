package dev.driftlock.gateway.load;

import dev.driftlock.testinfra.InternalTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.Postgres;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Load script (not a test): what the gateway ADDS to a request. Starts a real Kafka, PostgreSQL
 * and Redis (test-infra), a minimal upstream (a Vert.x HTTP server answering 202 at once) and the
 * packaged gateway as a separate process routing detection's paths to that upstream. The same
 * ingest request (API key in {@code X-Api-Key}, so: key verification, scope, quota state, a Redis
 * rate-limit round trip with limits too high to refuse, internal token, proxy) is then sent
 * <ol>
 *   <li>one at a time, alternating straight to the upstream and through the gateway, so both
 *       latency samples see the same machine conditions: p50/p99 of each and of the difference;</li>
 *   <li>from {@code concurrency} client threads through the gateway (then straight): requests/s.</li>
 * </ol>
 * Fixed counts, a fixed body and a warm-up make runs comparable. Run it through
 * {@code gateway-service/load/run.sh [pairs] [throughputRequests] [concurrency]}.
 */
public final class GatewayLoad {

    private static final String BODY = "{\"method\":\"GET\",\"path\":\"/api/orders\",\"status\":200,\"ms\":21}";
    private static final String PATH = "/v1/streams/load/events";

    private GatewayLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int throughputRequests = args.length > 2 ? Integer.parseInt(args[2]) : 8000;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        long started = System.nanoTime();

        Vertx vertx = Vertx.vertx();
        Buffer accepted = Buffer.buffer("{\"accepted\":1}");
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response().setStatusCode(202)
                        .putHeader("Content-Type", "application/json").end(accepted)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String direct = "http://127.0.0.1:" + upstream.actualPort();

        String kafka = KafkaTestResource.bootstrapServers();
        Postgres postgres = PostgresTestResource.server();
        postgres.createDatabase("gateway");
        String redis = RedisTestResource.server().url();
        Path work = Files.createDirectories(Path.of("target", "load"));
        InternalTokens.writeKeyPairIfMissing(work);
        Path keyFile = work.resolve("demo-api-key");
        Files.deleteIfExists(keyFile);
        int port = freePort();
        Path log = work.resolve("gateway.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("DRIFTLOCK_HTTP_PORT", Integer.toString(port));
        env.put("DRIFTLOCK_KAFKA", kafka);
        env.put("DRIFTLOCK_DB_JDBC_URL", postgres.jdbcUrl("gateway"));
        env.put("DRIFTLOCK_DB_REACTIVE_URL", postgres.reactiveUrl("gateway"));
        env.put("DRIFTLOCK_REDIS", redis);
        env.put("DRIFTLOCK_INTERNAL_TOKEN_PRIVATE_KEY", "file:" + work.resolve("internal-token.pem").toAbsolutePath());
        env.put("DRIFTLOCK_DETECTION_URL", direct);
        env.put("DRIFTLOCK_GATEWAY_DEMO_SEED", "true");
        env.put("DRIFTLOCK_GATEWAY_DEMO_KEY_FILE", keyFile.toAbsolutePath().toString());
        // the limiter still makes its Redis round trip, but never refuses
        env.put("DRIFTLOCK_GATEWAY_RATE_LIMITS_PLANS_DEVELOPER_PER_KEY", "1000000000");
        env.put("DRIFTLOCK_GATEWAY_RATE_LIMITS_PLANS_DEVELOPER_PER_ORG", "1000000000");
        Process gateway = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroyForcibly));
        String through = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            waitReady(http, through, gateway, log);
            String key = awaitKey(keyFile);
            System.out.printf("gateway ready after %.1f s (log %s)%n", (System.nanoTime() - started) / 1e9, log);

            HttpRequest viaUpstream = request(direct, key);
            HttpRequest viaGateway = request(through, key);
            expect202(http, viaGateway);
            // warm-up: JIT, connection pools, token cache
            runConcurrently(http, viaGateway, 2_000, concurrency);
            runConcurrently(http, viaUpstream, 2_000, concurrency);

            long[] upstreamNanos = new long[pairs];
            long[] gatewayNanos = new long[pairs];
            long[] addedNanos = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                upstreamNanos[i] = timed(http, viaUpstream);
                gatewayNanos[i] = timed(http, viaGateway);
                addedNanos[i] = gatewayNanos[i] - upstreamNanos[i];
            }
            Throughput gatewayRate = runConcurrently(http, viaGateway, throughputRequests, concurrency);
            Throughput upstreamRate = runConcurrently(http, viaUpstream, throughputRequests, concurrency);

            System.out.printf("%n=== gateway load: %d sequential pairs, %d requests x %d threads, %d cores ===%n", pairs,
                    throughputRequests, concurrency, Runtime.getRuntime().availableProcessors());
            System.out.printf("upstream direct : p50 %.2f ms  p99 %.2f ms%n", ms(upstreamNanos, 0.50), ms(upstreamNanos, 0.99));
            System.out.printf("through gateway : p50 %.2f ms  p99 %.2f ms%n", ms(gatewayNanos, 0.50), ms(gatewayNanos, 0.99));
            System.out.printf("ADDED by gateway: p50 %.2f ms  p99 %.2f ms  (per-pair difference)%n", ms(addedNanos, 0.50), ms(addedNanos, 0.99));
            System.out.printf("throughput      : %.0f req/s through the gateway, %.0f req/s direct (%d threads; non-202: %d / %d)%n",
                    gatewayRate.perSecond(), upstreamRate.perSecond(), concurrency, gatewayRate.failures(), upstreamRate.failures());
            System.out.printf("total run       : %.1f s%n", (System.nanoTime() - started) / 1e9);
            // only the gateway's failures fail the run; the stub upstream's are reported above (the JDK client
            // now and then finds a pooled connection to the bare Vert.x stub closed: 1 in 8,000 direct requests)
            System.exit(gatewayRate.failures() == 0 ? 0 : 1);
        } finally {
            gateway.destroy();
            gateway.waitFor(20, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpRequest request(String base, String key) {
        return HttpRequest.newBuilder(URI.create(base + PATH)).header("X-Api-Key", key)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static void expect202(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("gateway answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long timed(HttpClient http, HttpRequest request) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        long nanos = System.nanoTime() - t0;
        if (response.statusCode() != 202) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
        }
        return nanos;
    }

    private static Throughput runConcurrently(HttpClient http, HttpRequest request, int requests, int concurrency) throws Exception {
        int perThread = requests / concurrency;
        long t0 = System.nanoTime();
        int failures = 0;
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(clients.submit(() -> {
                    int failed = 0;
                    for (int i = 0; i < perThread; i++) {
                        try {
                            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 202) {
                                failed++;
                            }
                        } catch (IOException e) {
                            // counted, not fatal: a run reports how often the connection itself failed, and where
                            failed++;
                            System.out.printf("I/O failure on %s: %s%n", request.uri().getAuthority(), e);
                        }
                    }
                    return failed;
                }));
            }
            for (Future<Integer> f : done) {
                failures += f.get();
            }
        }
        return new Throughput(perThread * concurrency / ((System.nanoTime() - t0) / 1e9), failures);
    }

    private static double ms(long[] nanos, double percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile * sorted.length) - 1)] / 1e6;
    }

    private static String awaitKey(Path keyFile) throws Exception {
        for (int i = 0; i < 100 && !Files.exists(keyFile); i++) {
            Thread.sleep(100);
        }
        return Files.readString(keyFile).strip();
    }

    private static void waitReady(HttpClient http, String base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway-service exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gateway-service not ready within 2 minutes; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Throughput(double perSecond, int failures) {
    }
}
