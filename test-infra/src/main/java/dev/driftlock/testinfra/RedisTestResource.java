package dev.driftlock.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource: one real Redis server per test JVM. Sets {@code quarkus.redis.hosts}. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static Redis server;

    public static synchronized Redis server() {
        if (server == null) {
            server = Redis.start(FreePorts.next(), null);
            Redis started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-test-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.redis.hosts", server().url());
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
