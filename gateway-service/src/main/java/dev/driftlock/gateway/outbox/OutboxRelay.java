package dev.driftlock.gateway.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes unpublished outbox rows in order: locks a batch ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas never send the same row concurrently), sends each with the org id as key, waits for
 * Kafka's ack and marks the rows published in the same transaction. A crash after the ack but
 * before the commit re-sends a row: consumers dedupe on the event id.
 */
@ApplicationScoped
class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final Pool pool;

    @Inject
    @Channel("orgs-out")
    MutinyEmitter<String> orgs;

    OutboxRelay(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "1s",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                SELECT seq, topic, msg_key, payload FROM outbox WHERE published_at IS NULL
                                ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED""")
                        .execute(Tuple.of(BATCH))
                        .chain(rows -> {
                            List<Row> batch = new ArrayList<>();
                            rows.forEach(batch::add);
                            if (batch.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            return Multi.createFrom().iterable(batch)
                                    .onItem().transformToUniAndConcatenate(this::send)
                                    .collect().asList()
                                    .chain(sent -> tx.preparedQuery("UPDATE outbox SET published_at = now() WHERE seq = ANY($1)")
                                            .execute(Tuple.of(sent.toArray(new Long[0]))))
                                    .replaceWithVoid();
                        }))
                .onFailure().invoke(e -> LOG.warnf("outbox relay failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Long> send(Row row) {
        String topic = row.getString("topic");
        Message<String> message = Message.of(row.getString("payload"))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(row.getString("msg_key")).withTopic(topic).build());
        return orgs.sendMessage(message).replaceWith(row.getLong("seq"));
    }
}
