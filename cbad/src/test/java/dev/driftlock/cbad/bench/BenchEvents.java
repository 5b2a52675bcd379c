package dev.driftlock.cbad.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** About 200-byte JSON API events with a timestamp, a UUID and a user per event (seeded). */
final class BenchEvents {

    private BenchEvents() {
    }

    static List<String> json(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] paths = {"/api/items", "/api/orders", "/api/users/%d", "/api/cart", "/health", "/api/search"};
        String[] methods = {"GET", "GET", "GET", "POST"};
        List<String> out = new ArrayList<>(n);
        long t = 1_763_700_000_000L;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(300);
            out.add(String.format(Locale.ROOT,
                    "{\"ts\":\"%s\",\"request_id\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,"
                            + "\"latency_ms\":%.1f,\"bytes\":%d,\"user\":\"user%d\"}",
                    java.time.Instant.ofEpochMilli(t), new java.util.UUID(r.nextLong(), r.nextLong()),
                    methods[r.nextInt(4)], String.format(Locale.ROOT, paths[r.nextInt(paths.length)], r.nextInt(5000)),
                    r.nextInt(50) == 0 ? 404 : 200, 5 + 60 * r.nextDouble(), 200 + r.nextInt(4000), r.nextInt(3000)));
        }
        return out;
    }
}
