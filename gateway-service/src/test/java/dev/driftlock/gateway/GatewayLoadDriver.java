package dev.driftlock.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Load script, not a test: measures what the gateway adds to an ingest call. The same requests go
 * once straight to a stub upstream and once through the gateway (API key verification, scope,
 * quota, Redis rate limit, internal token, proxy); it prints p50/p99 of both, the difference and
 * the requests per second through the gateway. Run it with
 * {@code mvn -B -ntp verify -pl gateway-service -am -Dtest=GatewayLoadDriver -Dsurefire.failIfNoSpecifiedTests=false -Dgateway.load=true}
 * (optional {@code -Dgateway.load.requests=20000 -Dgateway.load.concurrency=16}).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "gateway.load", matches = "true")
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayLoadDriver {

    private static final String BODY = "{\"ts\":\"2026-11-21T10:00:00Z\",\"value\":42.0}\n";

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    Pool pool;

    @Test
    void measure() throws Exception {
        int requests = Integer.getInteger("gateway.load.requests", 10_000);
        int concurrency = Integer.getInteger("gateway.load.concurrency", 8);
        String org = Accounts.signUp("user-load", "Load Test");
        pool.preparedQuery("UPDATE org SET plan = 'load' WHERE id = $1").execute(Tuple.of(org)).await().indefinitely();
        String key = Accounts.createKey("user-load", org, List.of("ingest"), null);
        UpstreamStubTestResource.server().stubFor(post(urlPathEqualTo("/v1/streams/load/events"))
                .willReturn(aResponse().withStatus(202).withBody("{\"accepted\":1}")));
        URI direct = URI.create("http://127.0.0.1:" + UpstreamStubTestResource.server().port() + "/v1/streams/load/events");
        URI through = gateway.toURI().resolve("/v1/streams/load/events");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        run(client, direct, key, requests / 5, concurrency); // warm-up
        run(client, through, key, requests / 5, concurrency);
        Result upstream = run(client, direct, key, requests, concurrency);
        Result viaGateway = run(client, through, key, requests, concurrency);

        System.out.printf("%n=== gateway load: %d requests, concurrency %d, %d cores ===%n", requests, concurrency,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("upstream direct : p50 %.2f ms  p99 %.2f ms  %.0f req/s  (non-2xx: %d)%n",
                upstream.p50(), upstream.p99(), upstream.perSecond(), upstream.errors());
        System.out.printf("through gateway : p50 %.2f ms  p99 %.2f ms  %.0f req/s  (non-2xx: %d)%n",
                viaGateway.p50(), viaGateway.p99(), viaGateway.perSecond(), viaGateway.errors());
        System.out.printf("added by gateway: p50 %.2f ms  p99 %.2f ms%n%n",
                viaGateway.p50() - upstream.p50(), viaGateway.p99() - upstream.p99());
    }

    private static Result run(HttpClient client, URI uri, String key, int requests, int concurrency) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("X-Api-Key", key).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long[] nanos = new long[requests];
        int perWorker = requests / concurrency;
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
            List<Future<Integer>> errors = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int offset = w * perWorker;
                errors.add(workers.submit(() -> {
                    int failed = 0;
                    for (int i = 0; i < perWorker; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        nanos[offset + i] = System.nanoTime() - t0;
                        if (response.statusCode() / 100 != 2) {
                            failed++;
                        }
                    }
                    return failed;
                }));
            }
            int failed = 0;
            for (Future<Integer> e : errors) {
                failed += e.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] done = Arrays.copyOf(nanos, perWorker * concurrency);
            Arrays.sort(done);
            return new Result(done[done.length / 2] / 1e6, done[(int) (done.length * 0.99)] / 1e6, done.length / seconds, failed);
        }
    }

    private record Result(double p50, double p99, double perSecond, int errors) {
    }
}
