package dev.driftlock.detection.stream;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.detection.settings.SettingsRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The live detectors of the streams this replica owns, by stream key. Touched only by the ingest
 * consumer's thread (ADR 0500); the map is concurrent only so that {@link #live(String)} can be read
 * from outside.
 */
final class StreamStates {

    private static final Logger LOG = Logger.getLogger(StreamStates.class);

    private final Map<String, StreamState> states = new ConcurrentHashMap<>();
    private final StreamRepository streams;
    private final SettingsRepository settings;
    private final AtomicInteger active;

    StreamStates(StreamRepository streams, SettingsRepository settings, AtomicInteger active) {
        this.streams = streams;
        this.settings = settings;
        this.active = active;
    }

    StreamState get(String key) {
        return states.get(key);
    }

    Collection<StreamState> all() {
        return states.values();
    }

    List<StreamState> onPartition(int partition) {
        return states.values().stream().filter(st -> st.partition == partition).toList();
    }

    boolean live(String key) {
        return states.containsKey(key);
    }

    /** The stream's live state: in memory, restored from its snapshot, or new. */
    StreamState load(Connection c, IngestRecord r, Instant now) throws SQLException {
        StreamState st = states.get(r.key());
        if (st != null) {
            return st;
        }
        var stored = streams.load(c, r.key());
        if (stored.isPresent()) {
            var row = stored.get();
            InputKind kind = InputKind.valueOf(row.kind());
            Detector detector;
            long applied;
            if (row.snapshot() != null) {
                try {
                    detector = Detector.restore(row.snapshot());
                    applied = row.snapshotOffset();
                } catch (CbadException.SnapshotException e) {
                    LOG.errorf("snapshot of stream %s cannot be restored (%s); starting a new detector", r.key(), e.getMessage());
                    detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
                    applied = row.lastOffset();
                }
            } else {
                detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
                applied = row.firstOffset() - 1;
            }
            DetectorConfig wanted = settings.effective(c, r.orgId(), r.streamId(), kind);
            if (!wanted.equals(detector.config())) {
                detector.reconfigure(wanted);
            }
            st = new StreamState(r.key(), r.orgId(), r.streamId(), r.partition(), detector, applied, row.lastOffset(), now);
        } else {
            InputKind kind = settings.requestedKind(c, r.orgId(), r.streamId()).filter(k -> k != null)
                    .orElse(r.body().startsWith("{") ? InputKind.JSON : InputKind.TEXT);
            Detector detector = Detector.create(settings.effective(c, r.orgId(), r.streamId(), kind));
            st = new StreamState(r.key(), r.orgId(), r.streamId(), r.partition(), detector, r.offset() - 1, -1, now);
        }
        states.put(r.key(), st);
        active.set(states.size());
        return st;
    }

    /** Applies changed sensitivity/field settings to the live detectors, from their next event. */
    void reconfigure(Connection c) throws SQLException {
        for (StreamState st : states.values()) {
            DetectorConfig wanted = settings.effective(c, st.orgId, st.streamId, st.detector.config().kind());
            if (!wanted.equals(st.detector.config())) {
                st.detector.reconfigure(wanted);
            }
        }
    }

    /** Forgets the streams' detectors (their next owner, or this one later, rebuilds them from snapshots). */
    void dropAll(Collection<StreamState> leaving) {
        for (StreamState st : List.copyOf(leaving)) {
            states.remove(st.key);
            st.close();
        }
        active.set(states.size());
    }
}
