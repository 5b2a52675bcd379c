package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One detected anomaly: the billable unit.
 *
 * @param anomalyId   deterministic id derived from org, stream and event position; a replay yields the same id
 * @param streamId    the stream it was found in
 * @param eventRef    the customer's event id, or the event's position in the stream
 * @param detectedAt  when the engine flagged it; metering bills it in the period containing this instant
 * @param score       anomaly score in [0, 1]
 * @param pValue      calibrated p-value of the event's surprise
 * @param why         one-paragraph plain-language explanation
 */
public record AnomalyDetected(
        String anomalyId, String streamId, String eventRef, Instant detectedAt, double score, double pValue, String why)
        implements AnomalyEvent {

    public AnomalyDetected {
        Objects.requireNonNull(anomalyId, "anomalyId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }
}
