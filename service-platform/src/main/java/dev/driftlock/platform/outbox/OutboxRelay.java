package dev.driftlock.platform.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in {@code seq} order: locks a page of unpublished rows (SKIP LOCKED, so a
 * second instance takes other rows), hands them to the producer in that order keyed by org id (one
 * producer keeps the order per partition, so per org), waits for every ack and marks them
 * published in the same transaction. A crash between ack and mark re-sends the rows in the next
 * round: delivery is at least once, and consumers deduplicate on the event id.
 */
@ApplicationScoped
@IfBuildProperty(name = "driftlock.outbox.enabled", stringValue = "true")
class OutboxRelay {

    /** The outgoing channel every relay sends on. */
    static final String CHANNEL = "outbox";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;

    OutboxRelay(Pool pool, @Channel(CHANNEL) MutinyEmitter<String> emitter, OutboxConfig config) {
        this.pool = pool;
        this.emitter = emitter;
        this.config = config;
    }

    @Scheduled(every = "${driftlock.outbox.relay-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return relay()
                .onFailure().invoke(e -> LOG.warnf("outbox relay round failed, the next round retries: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One round: publishes one page and answers how many rows it published. */
    Uni<Integer> relay() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                SELECT seq, topic, record_key, payload FROM outbox WHERE published_at IS NULL
                                ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED""")
                        .execute(Tuple.of(config.pageSize()))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(0);
                            }
                            List<Uni<Void>> sends = new ArrayList<>();
                            List<Long> seqs = new ArrayList<>();
                            for (Row row : rows) {
                                seqs.add(row.getLong("seq"));
                                sends.add(emitter.sendMessage(Message.of(row.getString("payload"))
                                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                                .withTopic(row.getString("topic"))
                                                .withKey(row.getString("record_key"))
                                                .build())));
                            }
                            return Uni.join().all(sends).andFailFast()
                                    .flatMap(acked -> conn.preparedQuery("UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])")
                                            .execute(Tuple.tuple().addArrayOfLong(seqs.toArray(Long[]::new))))
                                    .map(marked -> seqs.size());
                        }));
    }
}
