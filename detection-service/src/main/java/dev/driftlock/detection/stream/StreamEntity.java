package dev.driftlock.detection.stream;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer's event stream as seen by this service; the id is the ingest key {@code orgId/streamId}. */
@Entity
@Table(name = "stream")
class StreamEntity extends PanacheEntityBase {

    @Id
    String id;

    @Column(name = "org_id", nullable = false)
    String orgId;

    @Column(name = "stream_id", nullable = false)
    String streamId;

    @Column(name = "events_seen", nullable = false)
    long eventsSeen;

    /** Partition and offset of the last event applied: a replayed record at or below it is skipped. */
    @Column(name = "last_partition", nullable = false)
    int lastPartition;

    @Column(name = "last_offset", nullable = false)
    long lastOffset;

    @Column(name = "first_event_at", nullable = false)
    Instant firstEventAt;

    @Column(name = "last_event_at", nullable = false)
    Instant lastEventAt;
}
