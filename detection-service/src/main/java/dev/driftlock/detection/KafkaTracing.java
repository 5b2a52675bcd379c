package dev.driftlock.detection;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * W3C trace context ({@code traceparent}) across HTTP, Kafka records and the outbox (ADR 0503).
 *
 * <p>With the OpenTelemetry SDK on ({@code DRIFTLOCK_OTEL_DISABLED=false}) the current span's
 * context is injected into ingest records, the consumer starts a span per scored record as a child
 * of the producer's context, and an anomaly keeps the {@code traceparent} of the span that detected
 * it. With the SDK off (the default) nothing is created or parsed per event: a valid
 * {@code traceparent} the caller sent is only passed through unchanged, so a customer's trace still
 * reaches the anomaly.detected record.
 */
@ApplicationScoped
public class KafkaTracing {

    /** The W3C trace context header (HTTP and Kafka). */
    public static final String TRACEPARENT = "traceparent";

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
            return header(headers, key);
        }
    };

    private final OpenTelemetry otel;
    private final boolean enabled;
    private final Tracer tracer;

    KafkaTracing(OpenTelemetry otel, @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this.otel = otel;
        this.enabled = !sdkDisabled;
        this.tracer = otel.getTracer("detection-service");
    }

    /** Whether spans are recorded (the OpenTelemetry SDK is on). */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Puts the trace context on an outgoing ingest record: the current span's (SDK on), or the
     * caller's valid {@code traceparent} unchanged (SDK off).
     *
     * @param callerTraceparent the HTTP request's {@code traceparent} header, or null
     */
    public void inject(Headers headers, String callerTraceparent) {
        if (enabled) {
            otel.getPropagators().getTextMapPropagator().inject(Context.current(), headers, SETTER);
        } else if (valid(callerTraceparent)) {
            headers.add(TRACEPARENT, callerTraceparent.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The consumer span of one ingest record, a child of the producer's context from its headers
     * (a new trace without one). Only call when {@link #enabled()}.
     */
    public Span startConsumerSpan(String name, Headers headers) {
        Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
        return tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "kafka").startSpan();
    }

    /**
     * The {@code traceparent} an anomaly keeps: the detecting span's when it is recording, else the
     * producer's valid one from the record headers (passed through), else null.
     */
    public static String traceparentOf(Span span, Headers headers) {
        String own = traceparent(span.getSpanContext());
        if (own != null) {
            return own;
        }
        String producer = header(headers, TRACEPARENT);
        return valid(producer) ? producer : null;
    }

    /**
     * The {@code traceparent} of a synchronous request's anomaly: the current (server) span's when
     * the SDK is on, else the caller's valid header unchanged, else null.
     */
    public String current(String callerTraceparent) {
        if (enabled) {
            return traceparent(Span.current().getSpanContext());
        }
        return valid(callerTraceparent) ? callerTraceparent : null;
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of a valid span context, else null. */
    static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** A version-00 W3C traceparent: 2-32-16-2 lowercase hex digits, trace and span id not all zero. */
    public static boolean valid(String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return false;
        }
        boolean traceNonZero = false;
        boolean spanNonZero = false;
        for (int i = 3; i < 55; i++) {
            if (i == 35 || i == 52) {
                continue;
            }
            char ch = traceparent.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
                return false;
            }
            if (ch != '0') {
                if (i < 35) {
                    traceNonZero = true;
                } else if (i < 52) {
                    spanNonZero = true;
                }
            }
        }
        return traceNonZero && spanNonZero;
    }

    private static String header(Headers headers, String key) {
        Header header = headers == null ? null : headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
