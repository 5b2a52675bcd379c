package dev.driftlock.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One WireMock server standing in for every service behind the gateway (detection, metering,
 * billing, notification); tests stub the routes they call and inspect what arrived.
 */
public class UpstreamStubTestResource implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().containerThreads(8));
            server.start();
            WireMockServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "upstream-stub-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        String url = "http://127.0.0.1:" + server().port();
        return Map.of(
                "driftlock.gateway.upstreams.detection.url", url,
                "driftlock.gateway.upstreams.metering.url", url,
                "driftlock.gateway.upstreams.billing.url", url,
                "driftlock.gateway.upstreams.stripe-webhooks.url", url,
                "driftlock.gateway.upstreams.notification.url", url);
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
