package dev.driftlock.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Which traceparent values are passed through, and the one an anomaly keeps. */
class KafkaTracingTest {

    static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void onlyWellFormedVersion00TraceparentsAreValid() {
        assertEquals(true, KafkaTracing.valid(VALID));
        assertEquals(true, KafkaTracing.valid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
        for (String invalid : List.of(
                "",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",          // no flags
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // unknown version
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",       // upper case
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",       // zero trace id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",       // zero span id
                "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",       // wrong separator
                "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",       // not hex
                VALID + "-extra")) {
            assertEquals(false, KafkaTracing.valid(invalid), invalid);
        }
        assertEquals(false, KafkaTracing.valid(null));
    }

    @Test
    void anAnomalyKeepsTheDetectingSpansContextElseThePassedThroughOne() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaTracing.TRACEPARENT, VALID.getBytes(StandardCharsets.UTF_8));
        Span detecting = Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault()));

        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", KafkaTracing.traceparentOf(detecting, headers));
        assertEquals(VALID, KafkaTracing.traceparentOf(Span.getInvalid(), headers));
        assertNull(KafkaTracing.traceparentOf(Span.getInvalid(), new RecordHeaders()));
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(KafkaTracing.TRACEPARENT, "not-a-trace".getBytes(StandardCharsets.UTF_8));
        assertNull(KafkaTracing.traceparentOf(Span.getInvalid(), garbage));
    }
}
