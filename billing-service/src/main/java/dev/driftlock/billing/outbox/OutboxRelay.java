package dev.driftlock.billing.outbox;

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
 * Publishes outbox rows in {@code seq} order: locks a page of unpublished rows (SKIP LOCKED, so
 * another instance takes other rows), sends them keyed by org id one after another (keeps the
 * per-org order), and marks them published once Kafka acknowledged. A crash between ack and commit
 * sends a row again; consumers deduplicate on the event id.
 */
@ApplicationScoped
class OutboxRelay {

    static final int PAGE = 100;

    private final Pool pool;
    private final MutinyEmitter<String> emitter;

    OutboxRelay(Pool pool, @Channel("billing-out") MutinyEmitter<String> emitter) {
        this.pool = pool;
        this.emitter = emitter;
    }

    @Scheduled(every = "${driftlock.billing.outbox-relay-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT seq, topic, record_key, payload FROM outbox WHERE published_at IS NULL
                        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(PAGE))
                .flatMap(rows -> {
                    List<Long> seqs = new ArrayList<>();
                    Uni<Void> sends = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        seqs.add(row.getLong("seq"));
                        Message<String> message = Message.of(row.getString("payload"))
                                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                        .withTopic(row.getString("topic"))
                                        .withKey(row.getString("record_key"))
                                        .build());
                        sends = sends.flatMap(ignored -> emitter.sendMessage(message));
                    }
                    if (seqs.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return sends.flatMap(acked -> conn.preparedQuery("UPDATE outbox SET published_at = now() WHERE seq = ANY($1)")
                                    .execute(Tuple.of(seqs.toArray(Long[]::new))))
                            .replaceWithVoid();
                }));
    }
}
