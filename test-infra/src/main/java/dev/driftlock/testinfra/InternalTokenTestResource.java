package dev.driftlock.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource: makes the service trust tokens minted by {@link InternalTokens}. */
public class InternalTokenTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey", InternalTokens.publicKeyPem(),
                "mp.jwt.verify.issuer", InternalTokens.ISSUER,
                "mp.jwt.verify.audiences", InternalTokens.AUDIENCE);
    }

    @Override
    public void stop() {
    }
}
