package dev.driftlock.metering.inbox;

import dev.driftlock.metering.MeteringConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Bounds the idempotent-consumer record: {@code processed_event} rows older than
 * {@code processed-event-retention} are deleted, oldest first, in batches of
 * {@code processed-event-retention-batch} rows, each its own statement so no run holds long locks.
 * A record redelivered after its row is gone would count again, so the retention must stay longer
 * than anything that can redeliver it: the topics' Kafka retention (7 days) and any replay of a
 * dead-letter topic.
 */
@ApplicationScoped
class ProcessedEventRetention {

    private static final Logger LOG = Logger.getLogger(ProcessedEventRetention.class);

    private final Pool pool;
    private final MeteringConfig config;
    private final Clock clock;

    ProcessedEventRetention(Pool pool, MeteringConfig config, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${driftlock.metering.processed-event-cleanup-every:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> cleanup() {
        return cleanupNow()
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("deleted %d processed-event records older than %s", deleted, config.processedEventRetention());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("processed-event retention failed, next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One run: deletes every record older than the retention and answers how many. */
    Uni<Long> cleanupNow() {
        return deleteFrom(OffsetDateTime.ofInstant(clock.instant().minus(config.processedEventRetention()), ZoneOffset.UTC), 0);
    }

    private Uni<Long> deleteFrom(OffsetDateTime before, long deletedSoFar) {
        int batch = config.processedEventRetentionBatch();
        return pool.preparedQuery("""
                        DELETE FROM processed_event WHERE ctid = ANY(ARRAY(
                            SELECT ctid FROM processed_event WHERE processed_at < $1 ORDER BY processed_at LIMIT $2))
                        """)
                .execute(Tuple.of(before, batch))
                .flatMap(rows -> rows.rowCount() == batch
                        ? deleteFrom(before, deletedSoFar + batch)
                        : Uni.createFrom().item(deletedSoFar + rows.rowCount()));
    }
}
