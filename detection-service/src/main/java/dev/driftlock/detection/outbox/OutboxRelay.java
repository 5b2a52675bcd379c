package dev.driftlock.detection.outbox;

import dev.driftlock.detection.DetectionConfig;
import dev.driftlock.detection.KafkaSender;
import dev.driftlock.detection.KafkaTracing;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in order: locks the oldest unpublished rows ({@code FOR UPDATE SKIP
 * LOCKED}, so replicas share the work), sends them, waits for every ack and marks them published
 * in the same transaction. A crash between ack and commit publishes a row twice with the same
 * event id; consumers deduplicate on it. A row's {@code traceparent} (an anomaly's trace context)
 * becomes the record's {@code traceparent} header.
 */
@ApplicationScoped
class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AgroalDataSource dataSource;
    private final KafkaSender sender;
    private final DetectionConfig config;
    private Instant lastCleanup = Instant.EPOCH;

    OutboxRelay(AgroalDataSource dataSource, KafkaSender sender, DetectionConfig config) {
        this.dataSource = dataSource;
        this.sender = sender;
        this.config = config;
    }

    @Scheduled(every = "${driftlock.detection.outbox.interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            while (publishOnce() == config.outbox().batchSize()) {
                // more rows waiting: keep going
            }
            cleanup();
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("outbox relay round failed, retrying next round: %s", e.getMessage());
        }
    }

    private int publishOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> seqs = new ArrayList<>();
                List<ProducerRecord<String, String>> records = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT seq, topic, kafka_key, payload, traceparent FROM outbox WHERE published_at IS NULL
                        ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                    s.setInt(1, config.outbox().batchSize());
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            seqs.add(r.getLong(1));
                            ProducerRecord<String, String> record = new ProducerRecord<>(r.getString(2), r.getString(3), r.getString(4));
                            String traceparent = r.getString(5);
                            if (traceparent != null) {
                                record.headers().add(KafkaTracing.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
                            }
                            records.add(record);
                        }
                    }
                }
                if (records.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                sender.sendAll(records);
                try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE seq = ANY (?)")) {
                    s.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
                    s.executeUpdate();
                }
                c.commit();
                return records.size();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void cleanup() throws SQLException {
        Instant now = Instant.now();
        if (lastCleanup.plusSeconds(60).isAfter(now)) {
            return;
        }
        lastCleanup = now;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM outbox WHERE published_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now.minus(config.outbox().retention())));
            s.executeUpdate();
        }
    }
}
