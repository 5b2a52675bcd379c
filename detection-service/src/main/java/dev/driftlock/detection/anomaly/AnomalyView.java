package dev.driftlock.detection.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An anomaly as the API shows it; {@code history} only on {@code GET /v1/anomalies/{id}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AnomalyView(UUID id, long seq, String streamId, String source, String eventRef, long position, String event,
                   double score, double pValue, double alpha, JsonNode evidence, String why, String status, String note,
                   Instant detectedAt, Instant createdAt, Instant updatedAt, List<StatusChange> history) {

    /** One status change. */
    record StatusChange(String from, String to, String note, String principal, Instant at) {
    }

    AnomalyView withHistory(List<StatusChange> changes) {
        return new AnomalyView(id, seq, streamId, source, eventRef, position, event, score, pValue, alpha, evidence, why,
                status, note, detectedAt, createdAt, updatedAt, changes);
    }
}
