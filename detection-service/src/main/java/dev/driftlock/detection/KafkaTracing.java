package dev.driftlock.detection;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Carries the trace context in Kafka record headers (W3C {@code traceparent}), so a trace runs from
 * the HTTP ingest call into the consumer that scores the event.
 */
@ApplicationScoped
public class KafkaTracing {

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry otel;

    KafkaTracing(OpenTelemetry otel) {
        this.otel = otel;
    }

    public OpenTelemetry otel() {
        return otel;
    }

    /** Writes the current trace context into the headers. */
    public void inject(Headers headers) {
        otel.getPropagators().getTextMapPropagator().inject(Context.current(), headers, SETTER);
    }

    /** The trace context a producer put into the headers (root if none). */
    public Context extract(Headers headers) {
        return otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    }
}
