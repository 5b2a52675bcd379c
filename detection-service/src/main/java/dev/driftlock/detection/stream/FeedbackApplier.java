package dev.driftlock.detection.stream;

import dev.driftlock.cbad.CbadException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies false_positive feedback to the live detectors, on the stream owner's thread between two
 * batches (ADR 0500), never while the detector scores: {@code Detector.markNormal(cause)} learns the
 * cause's held events and stops alarming on it. Only a stream whose state is committed
 * (applied offset = committed offset) takes feedback; its snapshot at that offset is saved in the
 * transaction that marks the feedback applied, so a restart or replay restores a detector that has
 * it and replays the same verdicts (determinism, ADR 0501). A stream not live here takes its
 * feedback after its next batch.
 */
@ApplicationScoped
class FeedbackApplier {

    private static final Logger LOG = Logger.getLogger(FeedbackApplier.class);

    private final StreamRepository streams;

    FeedbackApplier(StreamRepository streams) {
        this.streams = streams;
    }

    /**
     * @return streams whose detector took feedback that could not be stored: their detectors must be
     * dropped (rebuilt from the last snapshot, the feedback stays pending)
     */
    List<StreamState> apply(StreamStates states, Instant now) throws SQLException {
        Map<String, StreamState> ready = states.all().stream()
                .filter(st -> st.committedOffset >= 0 && st.appliedOffset <= st.committedOffset)
                .collect(Collectors.toMap(st -> st.key, Function.identity()));
        List<StreamState> broken = new ArrayList<>();
        if (ready.isEmpty()) {
            return broken;
        }
        try (Connection c = streams.connection()) {
            for (StreamRepository.Feedback f : streams.pendingFeedback(c, ready.keySet())) {
                StreamState st = ready.get(f.streamKey());
                if (st == null || broken.contains(st)) {
                    continue;
                }
                boolean learned;
                try {
                    learned = st.detector.markNormal(f.cause());
                } catch (CbadException e) {
                    LOG.warnf("feedback on %s (cause %s) cannot be applied: %s", f.streamKey(), f.cause(), e.getMessage());
                    learned = false;
                }
                c.setAutoCommit(false);
                try {
                    if (!streams.feedbackApplied(c, f.anomalyId(), st.appliedOffset, learned)) {
                        c.rollback();
                        broken.add(st); // another owner applied it: this detector went further than its snapshot
                        continue;
                    }
                    streams.saveSnapshots(c, List.of(new StreamRepository.Snapshot(st.key, st.partition, st.appliedOffset,
                            st.detector.snapshot())));
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    LOG.warnf("feedback on %s not stored, retried with a rebuilt detector: %s", f.streamKey(), e.getMessage());
                    broken.add(st);
                    continue;
                } finally {
                    c.setAutoCommit(true);
                }
                st.snapshotOffset = st.appliedOffset;
                st.sinceSnapshot = 0;
                st.snapshotAt = now;
                LOG.infof("stream %s learned cause %s as normal at offset %d (false_positive %s, learned %s)",
                        f.streamKey(), f.cause(), st.appliedOffset, f.anomalyId(), learned);
            }
        }
        return broken;
    }
}
