package dev.driftlock.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * One WireMock server standing in for every service behind the gateway (detection, metering,
 * billing, notification); tests stub the routes they call and inspect what arrived. Two upstreams
 * exist only in tests, so their timeout and circuit breaker can be driven without touching the
 * real routes other tests use: {@code slow-test} ({@code /v1/test-slow}, 300 ms to answer),
 * {@code flaky-test} and {@code bulky-test} ({@code /v1/test-flaky}, {@code /v1/test-bulky}, default
 * settings) and {@code silent-test}
 * ({@code /v1/test-silent}, 300 ms to answer): a bare TCP server that never answers, so a test
 * can see what the gateway does with the connection.
 */
public class UpstreamStubTestResource implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;
    private static ServerSocket silent;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().containerThreads(8));
            server.start();
            WireMockServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "upstream-stub-stop"));
        }
        return server;
    }

    /** The {@code silent-test} upstream: accepts connections (a test calls {@code accept()}) and never answers. */
    public static synchronized ServerSocket silentServer() {
        if (silent == null) {
            try {
                silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return silent;
    }

    @Override
    public Map<String, String> start() {
        String url = "http://127.0.0.1:" + server().port();
        return Map.ofEntries(
                Map.entry("driftlock.gateway.upstreams.detection.url", url),
                Map.entry("driftlock.gateway.upstreams.metering.url", url),
                Map.entry("driftlock.gateway.upstreams.billing.url", url),
                Map.entry("driftlock.gateway.upstreams.stripe-webhooks.url", url),
                Map.entry("driftlock.gateway.upstreams.notification.url", url),
                Map.entry("driftlock.gateway.upstreams.slow-test.url", url),
                Map.entry("driftlock.gateway.upstreams.slow-test.prefixes", "/v1/test-slow"),
                Map.entry("driftlock.gateway.upstreams.slow-test.timeout", "300ms"),
                Map.entry("driftlock.gateway.upstreams.flaky-test.url", url),
                Map.entry("driftlock.gateway.upstreams.flaky-test.prefixes", "/v1/test-flaky"),
                Map.entry("driftlock.gateway.upstreams.bulky-test.url", url),
                Map.entry("driftlock.gateway.upstreams.bulky-test.prefixes", "/v1/test-bulky"),
                Map.entry("driftlock.gateway.upstreams.silent-test.url", "http://127.0.0.1:" + silentServer().getLocalPort()),
                Map.entry("driftlock.gateway.upstreams.silent-test.prefixes", "/v1/test-silent"),
                Map.entry("driftlock.gateway.upstreams.silent-test.timeout", "300ms"));
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
