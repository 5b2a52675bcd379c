package dev.driftlock.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Stripe's API faked at the HTTP level (WireMock, one per test JVM); tests stub Stripe's real JSON per org. */
public class StripeFake implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET = "whsec_test_driftlock_fake";

    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(8).jettyAcceptors(1));
            server.start();
            WireMockServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stripe-fake-stop"));
        }
        return server;
    }

    /** The launch coupon exists in the Stripe account with the launch terms (50% off, repeating, 3 months). */
    public static void launchCouponExists() {
        server().stubFor(get("/v1/coupons/LAUNCH50")
                .willReturn(okJson(Stripe.coupon("LAUNCH50", "50.0", "repeating", 3, true))));
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "driftlock.billing.stripe.api-base", "http://127.0.0.1:" + server().port(),
                "driftlock.billing.stripe.webhook-secret", WEBHOOK_SECRET);
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
