package dev.driftlock.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fake Resend API (WireMock) for the whole test JVM: {@code POST /emails} answers 200
 * {@code {"id":"re_<Idempotency-Key>"}} unless a test stubs something else for its recipients.
 */
public class ResendWireMockResource implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").globalTemplating(false));
            server.start();
            server.stubFor(post(urlEqualTo("/emails")).atPriority(10).willReturn(aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":\"re_{{request.headers.[Idempotency-Key]}}\"}")
                    .withTransformers("response-template")));
            WireMockServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "wiremock-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("driftlock.notification.resend.base-url", server().baseUrl());
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
