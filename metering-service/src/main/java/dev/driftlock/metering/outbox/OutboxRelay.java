package dev.driftlock.metering.outbox;

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

/**
 * Publishes outbox rows in {@code seq} order: locks a page of unpublished rows (SKIP LOCKED, so a
 * second instance takes other rows), sends them keyed by org id, waits for Kafka's acks and marks
 * them published in the same transaction. A crash between ack and commit re-sends a row; consumers
 * deduplicate on the event id.
 */
@ApplicationScoped
class OutboxRelay {

    static final int PAGE = 500;

    private final Pool pool;
    private final MutinyEmitter<String> emitter;

    OutboxRelay(Pool pool, @Channel("outbox") MutinyEmitter<String> emitter) {
        this.pool = pool;
        this.emitter = emitter;
    }

    @Scheduled(every = "${driftlock.metering.outbox-relay-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                SELECT seq, topic, record_key, payload FROM outbox WHERE published_at IS NULL
                                ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
                                """)
                        .execute(Tuple.of(PAGE))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().voidItem();
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
                                    .replaceWithVoid();
                        }));
    }
}
