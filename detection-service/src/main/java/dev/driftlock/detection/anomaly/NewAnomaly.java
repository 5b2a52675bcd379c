package dev.driftlock.detection.anomaly;

import dev.driftlock.cbad.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An anomaly about to be stored.
 *
 * @param id         deterministic id ({@link #streamId(String, String, String)} / {@link #monitorId(String, String, int)})
 * @param orgId      owning org
 * @param streamId   stream (Monitor API: the request's stream label)
 * @param source     {@code stream} or {@code monitor}
 * @param eventRef   the client's event id, or {@code #<position>}
 * @param position   0-based position of the event in the stream (Monitor API: item index)
 * @param event      the event as received (truncated to {@link #MAX_EVENT_CHARS})
 * @param verdict    the engine's verdict
 * @param detectedAt when the event was accepted (the ingest record's timestamp), so a replay gives the same fact
 * @param traceparent W3C trace context of the detection (carried to the anomaly.detected record), or null
 */
public record NewAnomaly(UUID id, String orgId, String streamId, String source, String eventRef, long position,
                         String event, Verdict.Scored verdict, Instant detectedAt, String traceparent) {

    public static final int MAX_EVENT_CHARS = 4096;

    public NewAnomaly {
        if (event.length() > MAX_EVENT_CHARS) {
            event = event.substring(0, MAX_EVENT_CHARS);
        }
    }

    /** Id of a streamed event's anomaly: the same org, stream and event reference always give the same id. */
    public static UUID streamId(String orgId, String streamId, String eventRef) {
        return UUID.nameUUIDFromBytes(("stream|" + orgId + "|" + streamId + "|" + eventRef).getBytes(StandardCharsets.UTF_8));
    }

    /** Id of a Monitor API item's anomaly: the same org, request id and item index always give the same id. */
    public static UUID monitorId(String orgId, String requestId, int index) {
        return UUID.nameUUIDFromBytes(("monitor|" + orgId + "|" + requestId + "|" + index).getBytes(StandardCharsets.UTF_8));
    }
}
