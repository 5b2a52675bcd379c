package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A detected anomaly was marked a false positive by the customer: it is not billed. Metering lowers
 * the usage of the period that counted it by one, once per anomaly.
 *
 * @param anomalyId  the anomaly's id (as in its {@code anomaly.detected})
 * @param streamId   the stream it was found in
 * @param detectedAt the {@code detectedAt} of its {@code anomaly.detected}: names the period that counted it
 * @param reason     why it was retracted: {@code false_positive}
 * @param retractedAt when the customer marked it
 */
public record AnomalyRetracted(String anomalyId, String streamId, Instant detectedAt, String reason, Instant retractedAt)
        implements AnomalyEvent {

    public AnomalyRetracted {
        Objects.requireNonNull(anomalyId, "anomalyId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retractedAt, "retractedAt");
    }
}
