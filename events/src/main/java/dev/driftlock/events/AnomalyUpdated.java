package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An anomaly (an incident of flagged events) grew: more flagged events of the same cause joined it.
 * Informational, never billed: the anomaly was billed once by its {@link AnomalyDetected}.
 *
 * @param anomalyId  the anomaly's id (as in its {@code anomaly.detected})
 * @param streamId   the stream it was found in
 * @param cause      what its events have in common (e.g. {@code compression}, {@code rate:card.hash=...})
 * @param events     flagged events in it so far (at least 2)
 * @param firstSeenAt when its first event was accepted (its {@code detectedAt})
 * @param lastSeenAt when its latest event was accepted
 * @param maxScore   the highest anomaly score of its events, in [0, 1]
 */
public record AnomalyUpdated(String anomalyId, String streamId, String cause, long events, Instant firstSeenAt,
                             Instant lastSeenAt, double maxScore) implements AnomalyEvent {

    public AnomalyUpdated {
        Objects.requireNonNull(anomalyId, "anomalyId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(firstSeenAt, "firstSeenAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
