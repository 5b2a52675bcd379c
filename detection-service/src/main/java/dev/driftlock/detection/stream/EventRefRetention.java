package dev.driftlock.detection.stream;

import dev.driftlock.detection.DetectionConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Forgets client event ids ({@code event_ref}) older than {@code event-ref.retention}, in batches of
 * {@code event-ref.batch-size} rows, each its own short transaction, so the consumer's inserts are
 * never blocked for long (ADR 0504).
 */
@ApplicationScoped
class EventRefRetention {

    private static final Logger LOG = Logger.getLogger(EventRefRetention.class);

    private final StreamRepository streams;
    private final DetectionConfig config;

    EventRefRetention(StreamRepository streams, DetectionConfig config) {
        this.streams = streams;
        this.config = config;
    }

    @Scheduled(every = "${driftlock.detection.event-ref.cleanup-interval:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void cleanup() {
        try {
            int deleted = purge(Instant.now());
            if (deleted > 0) {
                LOG.debugf("forgot %d client event ids older than %s", deleted, config.eventRef().retention());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("event_ref retention failed, retrying next round: %s", e.getMessage());
        }
    }

    /**
     * Deletes every event id first seen before {@code now - retention}, batch by batch.
     *
     * @return how many were deleted
     */
    int purge(Instant now) throws SQLException {
        return purge(now, config.eventRef().batchSize());
    }

    int purge(Instant now, int batchSize) throws SQLException {
        Instant cutoff = now.minus(config.eventRef().retention());
        int total = 0;
        int deleted;
        do {
            deleted = streams.deleteRefsBefore(cutoff, batchSize);
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
