package dev.driftlock.detection.anomaly;

import dev.driftlock.detection.outbox.Outbox;
import dev.driftlock.events.AnomalyRetracted;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Transaction boundary of status changes. Marking an anomaly {@code false_positive} is feedback: in
 * the same transaction the stream's detector is asked to learn its cause as normal
 * ({@code stream_feedback}, applied by the stream's owner loop) and {@code anomaly.retracted} goes to
 * the outbox, so metering takes it off the bill. Both happen once per anomaly: a repeated PATCH with
 * the same status and note changes nothing, and the retraction's event id derives from the anomaly id.
 */
@ApplicationScoped
class AnomalyService {

    static final String FALSE_POSITIVE = "false_positive";

    private final AnomalyRepository anomalies;

    AnomalyService(AnomalyRepository anomalies) {
        this.anomalies = anomalies;
    }

    /** @return the anomaly after the change, empty when the org has no such anomaly */
    Optional<AnomalyView> changeStatus(String orgId, UUID id, String status, String note, String principal) {
        try (Connection c = anomalies.connection()) {
            c.setAutoCommit(false);
            try {
                Optional<AnomalyRepository.Locked> locked = anomalies.lock(c, orgId, id);
                if (locked.isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                AnomalyRepository.Locked current = locked.get();
                if (!current.status().equals(status) || !Objects.equals(current.note(), note)) {
                    anomalies.changeStatus(c, current, status, note, principal);
                }
                if (FALSE_POSITIVE.equals(status) && !FALSE_POSITIVE.equals(current.status())) {
                    retract(c, current);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return anomalies.find(orgId, id);
    }

    private void retract(Connection c, AnomalyRepository.Locked anomaly) throws SQLException {
        if ("stream".equals(anomaly.source()) && anomaly.cause() != null) {
            anomalies.requestFeedback(c, anomaly);
        }
        Instant now = Instant.now();
        Outbox.write(c, List.of(new Outbox.Pending(Topics.ANOMALIES, Envelope.of(retractedEventId(anomaly.id()),
                anomaly.orgId(), now, new AnomalyRetracted(anomaly.id().toString(), anomaly.streamId(), anomaly.detectedAt(),
                        FALSE_POSITIVE, now)))));
    }

    /** Event id of an anomaly's one {@code anomaly.retracted}. */
    static UUID retractedEventId(UUID anomalyId) {
        return UUID.nameUUIDFromBytes(("anomaly-retracted|" + anomalyId).getBytes(StandardCharsets.UTF_8));
    }
}
