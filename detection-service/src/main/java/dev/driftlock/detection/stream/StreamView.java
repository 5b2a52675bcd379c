package dev.driftlock.detection.stream;

import java.time.Instant;

/** A stream as the API shows it. */
record StreamView(String streamId, long eventsSeen, Instant firstEventAt, Instant lastEventAt) {

    static StreamView of(StreamEntity entity) {
        return new StreamView(entity.streamId, entity.eventsSeen, entity.firstEventAt, entity.lastEventAt);
    }
}
