package dev.driftlock.detection.stream;

import dev.driftlock.cbad.Detector;
import java.time.Instant;

/**
 * A stream's live detector on the replica owning its partition, and where it stands: the offset of
 * the last record fed to the detector, of the last record whose effects are committed, and of the
 * last saved snapshot. Touched only by the ingest consumer thread.
 */
final class StreamState implements AutoCloseable {

    final String key;
    final String orgId;
    final String streamId;
    final int partition;
    final Detector detector;
    /** Offset of the last record the detector has consumed (or skipped as a duplicate). */
    long appliedOffset;
    /** Offset of the last record whose effects (counts, anomalies) are committed in the database. */
    long committedOffset;
    /** Offset the saved snapshot reflects. */
    long snapshotOffset;
    int sinceSnapshot;
    Instant snapshotAt;
    Instant lastUsed;

    StreamState(String key, String orgId, String streamId, int partition, Detector detector, long appliedOffset,
                long committedOffset, Instant now) {
        this.key = key;
        this.orgId = orgId;
        this.streamId = streamId;
        this.partition = partition;
        this.detector = detector;
        this.appliedOffset = appliedOffset;
        this.committedOffset = committedOffset;
        this.snapshotOffset = appliedOffset;
        this.snapshotAt = now;
        this.lastUsed = now;
    }

    boolean snapshotStale() {
        return appliedOffset > snapshotOffset;
    }

    @Override
    public void close() {
        detector.close();
    }
}
