package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An anomaly as the API shows it; {@code history} only on {@code GET /v1/anomalies/{id}}. A streamed
 * anomaly is an incident: {@code position}/{@code firstSeenAt} are its first event, {@code lastPosition}/
 * {@code lastSeenAt} its latest, {@code events} how many flagged events it has, {@code strongest} its
 * strongest events; {@code score}, {@code pValue}, {@code evidence} and {@code why} are those of its
 * strongest event. A Monitor API anomaly is one item ({@code events} 1). {@code feedSeq} is the
 * position of its latest change in the live feed (the SSE id), not shown in the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AnomalyView(UUID id, long seq, String streamId, String source, String eventRef, long position, String event,
                   double score, double pValue, double alpha, JsonNode evidence, String why, String status, String note,
                   Instant detectedAt, Instant createdAt, Instant updatedAt, String cause, long events, Instant firstSeenAt,
                   Instant lastSeenAt, long lastPosition, JsonNode strongest, @JsonIgnore long feedSeq,
                   List<StatusChange> history) {

    /** One status change. */
    record StatusChange(String from, String to, String note, String principal, Instant at) {
    }

    AnomalyView withHistory(List<StatusChange> changes) {
        return new AnomalyView(id, seq, streamId, source, eventRef, position, event, score, pValue, alpha, evidence, why,
                status, note, detectedAt, createdAt, updatedAt, cause, events, firstSeenAt, lastSeenAt, lastPosition, strongest,
                feedSeq, changes);
    }
}
