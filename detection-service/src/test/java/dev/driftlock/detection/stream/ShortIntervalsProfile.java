package dev.driftlock.detection.stream;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Periodic snapshots every 2 s (the event-count trigger out of reach) and idle eviction after 6 s,
 * so {@link StreamStateTest} sees both happen.
 */
public class ShortIntervalsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("driftlock.detection.streams.snapshot-every", "2s",
                "driftlock.detection.streams.snapshot-every-events", "1000000",
                "driftlock.detection.streams.idle-eviction", "6s");
    }
}
