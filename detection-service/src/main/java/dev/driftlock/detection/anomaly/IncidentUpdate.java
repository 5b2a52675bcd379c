package dev.driftlock.detection.anomaly;

import dev.driftlock.cbad.Incident;
import dev.driftlock.cbad.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The state of one incident of a stream after a consumer batch, to upsert as its anomaly row.
 *
 * @param id          {@link #id(String, String, long)}: org, stream and the engine's incident id
 * @param orgId       owning org
 * @param streamId    stream
 * @param eventRef    the first event's client id or {@code #<position>} (used only when the row is new)
 * @param event       the first event as received (used only when the row is new; truncated)
 * @param incident    the engine's incident after the batch's last event of it
 * @param strongest   the strongest verdict of the batch's events of it (score, then earliest): its
 *                    evidence, p-value and explanation replace the row's when it scores higher
 * @param firstSeenAt when the first event was accepted (used only when the row is new)
 * @param lastSeenAt  when the batch's last event of it was accepted
 * @param traceparent trace context of the batch's first event of it (the opening event's when it opened), or null
 * @param lastTraceparent trace context of the batch's last event of it (carried by {@code anomaly.updated}), or null
 */
public record IncidentUpdate(UUID id, String orgId, String streamId, String eventRef, String event, Incident incident,
                             Verdict.Scored strongest, Instant firstSeenAt, Instant lastSeenAt, String traceparent,
                             String lastTraceparent) {

    public IncidentUpdate {
        if (event.length() > NewAnomaly.MAX_EVENT_CHARS) {
            event = event.substring(0, NewAnomaly.MAX_EVENT_CHARS);
        }
    }

    /** Id of a stream incident's anomaly: the same org, stream and incident always give the same id. */
    public static UUID id(String orgId, String streamId, long incidentId) {
        return UUID.nameUUIDFromBytes(("incident|" + orgId + "|" + streamId + "|" + incidentId).getBytes(StandardCharsets.UTF_8));
    }
}
