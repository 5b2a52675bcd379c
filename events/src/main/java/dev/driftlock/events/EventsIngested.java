package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Events accepted into a stream in one batch; for usage charts, never billed.
 *
 * @param streamId   the stream
 * @param batchId    id of the ingested batch (unique per org)
 * @param accepted   events accepted in the batch
 * @param receivedAt when the batch was accepted
 */
public record EventsIngested(String streamId, String batchId, int accepted, Instant receivedAt) implements IngestionEvent {

    public EventsIngested {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
