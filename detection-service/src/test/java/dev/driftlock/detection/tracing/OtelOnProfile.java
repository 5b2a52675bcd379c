package dev.driftlock.detection.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The OpenTelemetry SDK on, spans kept by {@link InMemorySpans} (the OTLP exporter is off in tests). */
public class OtelOnProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "100ms");
    }
}
