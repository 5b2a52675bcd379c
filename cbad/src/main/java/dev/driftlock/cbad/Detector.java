package dev.driftlock.cbad;

import com.github.luben.zstd.Zstd;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.metric.MetricEngine;
import dev.driftlock.cbad.incident.IncidentTracker;
import dev.driftlock.cbad.score.EventEngine;
import dev.driftlock.cbad.score.StreamEngine;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A stateful anomaly detector for one stream (e.g. one per organisation and stream), fed events one
 * at a time in stream order.
 *
 * <pre>{@code
 * try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
 *     Verdict v = d.score("{\"path\":\"/login\",\"status\":200}");
 *     if (v.anomaly()) { ... ((Verdict.Scored) v).why() ... }
 *     byte[] state = d.snapshot();            // persist
 * }
 * Detector again = Detector.restore(state);   // continues exactly where it stopped
 * }</pre>
 *
 * <p>Thread-safety: a detector is not thread-safe; call it from one thread at a time (e.g. one
 * partition consumer). Detectors share no mutable state, so many streams run in parallel without
 * any global lock. Same input and config give identical verdicts (no randomness, no clock).
 *
 * <p>Memory per stream: JSON/text at most about 2.5 MB with the default 1,000-event baseline (the
 * baseline is also capped at 512 KB of canonical bytes); numeric about 60 KB per field. See
 * {@code docs/cbad.md}. Native zstd memory is released by {@link #close()} (or by the garbage
 * collector).
 */
public final class Detector implements AutoCloseable {

    /** Snapshot magic bytes "CBAD". */
    static final int MAGIC = 0x43424144;
    /** Current snapshot format version. */
    public static final int SNAPSHOT_VERSION = 3;

    private DetectorConfig config;
    private final StreamEngine engine;
    private final IncidentTracker incidents;

    private Detector(DetectorConfig config) {
        this.config = config;
        FieldFilter filter = new FieldFilter(config.includeFields(), config.excludeFields());
        double alpha = Sensitivity.alpha(config.sensitivity());
        this.engine = switch (config.kind()) {
            case JSON, TEXT -> new EventEngine(config.kind(), config.baselineEvents(), alpha, filter,
                    config.entityKeys());
            case NUMERIC -> new MetricEngine(alpha, filter);
        };
        this.incidents = new IncidentTracker(config.incidentGapEvents(), config.incidentGapMillis());
    }

    /**
     * @param config the configuration
     * @return a new detector with an empty baseline (its first verdicts are "calibrating")
     * @throws CbadException.InvalidConfigException if config is null
     */
    public static Detector create(DetectorConfig config) {
        if (config == null) {
            throw new CbadException.InvalidConfigException("config must not be null");
        }
        return new Detector(config);
    }

    /** @return the configuration in force */
    public DetectorConfig config() {
        return config;
    }

    /**
     * Events needed from an empty stream before the first verdict: 256 for JSON/text with the
     * default baseline, 96 for numeric streams.
     *
     * @param config a configuration
     * @return the warm-up length in events
     */
    public static int warmupEvents(DetectorConfig config) {
        if (config == null) {
            throw new CbadException.InvalidConfigException("config must not be null");
        }
        return config.kind() == InputKind.NUMERIC ? 96
                : Math.min(128, config.baselineEvents() / 2) + EventEngine.CALIBRATION_MIN;
    }

    /**
     * Scores the next event of the stream.
     *
     * @param event a JSON object (JSON), a text line (TEXT), or a number / comma-separated numbers /
     *              JSON object of numbers (NUMERIC)
     * @return the verdict
     * @throws CbadException.InvalidInputException if the event cannot be read; the detector state
     *                                             is unchanged in that case
     */
    public Verdict score(String event) {
        if (event == null) {
            throw new CbadException.InvalidInputException("event must not be null");
        }
        return file(engine.score(event));
    }

    /**
     * Files a flagged verdict into its incident. A window the drift test flags is an anomaly of its
     * own kind (cause {@code drift}).
     */
    private Verdict file(Verdict v) {
        if (!(v instanceof Verdict.Scored s)) {
            return v;
        }
        long time = engine.lastEventTime();
        boolean drift = !s.anomaly() && s.drift() != null && s.drift().drift();
        if (!s.anomaly() && !drift) {
            incidents.expire(s.index(), time);
            return v;
        }
        double score = drift ? Math.max(s.score(), Sensitivity.score(s.drift().pValue())) : s.score();
        String cause = drift ? "drift" : s.evidence().cause().isEmpty() ? "event" : s.evidence().cause();
        String why = drift ? s.drift().why() : s.why();
        Incident incident = incidents.flag(s.index(), time, cause, score, why);
        return new Verdict.Scored(s.index(), score, s.pValue(), s.alpha(), true, s.evidence(), why, s.drift(),
                incident);
    }

    /**
     * Feedback on a reported incident: its kind of event is normal for this stream. The flagged
     * events of that cause that are still held out of the baseline enter it, and later events of
     * the same cause no longer alarm (the stream remembers up to 256 such causes; kept in the
     * snapshot). For the cause {@code drift} every held event enters the baseline; for a metric
     * series ({@code metric:<field>}) the series is re-based on its recent points.
     *
     * @param cause the {@link Incident#cause()} of the incident
     * @return whether the detector learned anything (false for an unknown metric series or a cause
     *         that was already marked and had nothing held)
     * @throws CbadException.InvalidInputException if the cause is null or blank
     */
    public boolean markNormal(String cause) {
        if (cause == null || cause.isBlank()) {
            throw new CbadException.InvalidInputException("cause must not be blank");
        }
        return engine.markNormal(cause);
    }

    /**
     * Scores the next numeric sample of a NUMERIC stream.
     *
     * @param values field name to value (a stable field order)
     * @return the verdict
     * @throws CbadException.InvalidInputException if the stream is not numeric or values are empty
     */
    public Verdict score(Map<String, Double> values) {
        if (!(engine instanceof MetricEngine m)) {
            throw new CbadException.InvalidInputException("score(Map) needs a NUMERIC detector, this one is "
                    + config.kind());
        }
        if (values == null || values.isEmpty()) {
            throw new CbadException.InvalidInputException("numeric event must have at least one field");
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new CbadException.InvalidInputException("numeric field " + e.getKey() + " is not a finite number");
            }
        }
        return file(m.score(values));
    }

    /**
     * Changes sensitivity and/or field filters without losing state. The sensitivity applies from
     * the next event. A field change rebuilds the dictionary from the retained baseline (kept with
     * all fields) and re-learns the calibration over the next 128 events (status "calibrating").
     *
     * @param newConfig the new config; kind and baselineEvents must not change
     * @throws CbadException.InvalidConfigException if kind or baseline size differ
     */
    public void reconfigure(DetectorConfig newConfig) {
        if (newConfig == null) {
            throw new CbadException.InvalidConfigException("config must not be null");
        }
        if (newConfig.kind() != config.kind() || newConfig.baselineEvents() != config.baselineEvents()
                || !newConfig.entityKeys().equals(config.entityKeys())) {
            throw new CbadException.InvalidConfigException(
                    "kind, baselineEvents and entityKeys cannot change on a running detector; create a new one");
        }
        incidents.setGaps(newConfig.incidentGapEvents(), newConfig.incidentGapMillis());
        engine.setAlpha(Sensitivity.alpha(newConfig.sensitivity()));
        if (!newConfig.includeFields().equals(config.includeFields())
                || !newConfig.excludeFields().equals(config.excludeFields())) {
            engine.setFilter(new FieldFilter(newConfig.includeFields(), newConfig.excludeFields()));
        }
        this.config = newConfig;
    }

    /**
     * Serializes the complete state: {@code "CBAD"}, version (int), CRC32 of the body (int), then
     * the zstd-compressed body (config + engine state). Deterministic: the same state gives the same
     * bytes.
     *
     * @return the snapshot
     */
    public byte[] snapshot() {
        StateOutput out = new StateOutput();
        out.i32(config.kind().ordinal());
        out.f64(config.sensitivity());
        out.i32(config.includeFields().size());
        for (String f : config.includeFields()) {
            out.str(f);
        }
        out.i32(config.excludeFields().size());
        for (String f : config.excludeFields()) {
            out.str(f);
        }
        out.i32(config.baselineEvents());
        out.i32(config.entityKeys().size());
        config.entityKeys().forEach(out::str);
        out.i32(config.incidentGapEvents());
        out.i64(config.incidentGapMillis());
        engine.write(out);
        incidents.write(out);
        byte[] body = out.toByteArray();
        byte[] packed = Zstd.compress(body, 3);
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(12 + packed.length);
        b.putInt(MAGIC).putInt(SNAPSHOT_VERSION).putInt((int) crc.getValue()).put(packed);
        return b.array();
    }

    /**
     * Restores a detector from {@link #snapshot()}; it continues exactly as if never interrupted.
     *
     * @param snapshot the bytes
     * @return the detector
     * @throws CbadException.SnapshotException if the bytes are not a valid snapshot of a known version
     */
    public static Detector restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length < 12) {
            throw new CbadException.SnapshotException("snapshot is null or shorter than its 12-byte header", null);
        }
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        if (b.getInt() != MAGIC) {
            throw new CbadException.SnapshotException("not a CBAD snapshot (bad magic)", null);
        }
        int version = b.getInt();
        if (version != SNAPSHOT_VERSION) {
            throw new CbadException.SnapshotException("unsupported snapshot version " + version
                    + " (this engine reads version " + SNAPSHOT_VERSION + ")", null);
        }
        int crcExpected = b.getInt();
        byte[] packed = new byte[b.remaining()];
        b.get(packed);
        byte[] body;
        try {
            long size = Zstd.getFrameContentSize(packed);
            if (size < 0 || size > (1L << 30)) {
                throw new CbadException.SnapshotException("corrupt snapshot: bad body size", null);
            }
            body = Zstd.decompress(packed, (int) size);
        } catch (RuntimeException e) {
            if (e instanceof CbadException ce) {
                throw ce;
            }
            throw new CbadException.SnapshotException("corrupt snapshot: " + e.getMessage(), e);
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        if ((int) crc.getValue() != crcExpected) {
            throw new CbadException.SnapshotException("corrupt snapshot: checksum mismatch", null);
        }
        StateInput in = new StateInput(body);
        InputKind[] kinds = InputKind.values();
        InputKind kind = kinds[in.i32(0, kinds.length - 1, "kind")];
        double sensitivity = in.f64();
        Set<String> include = readSet(in);
        Set<String> exclude = readSet(in);
        int baseline = in.i32();
        int nk = in.i32(0, 3, "entity key count");
        List<String> entityKeys = new ArrayList<>();
        for (int i = 0; i < nk; i++) {
            entityKeys.add(in.str());
        }
        int gapEvents = in.i32();
        long gapMillis = in.i64();
        DetectorConfig config;
        try {
            config = new DetectorConfig(kind, sensitivity, include, exclude, baseline, entityKeys, gapEvents, gapMillis);
        } catch (CbadException.InvalidConfigException e) {
            throw new CbadException.SnapshotException("corrupt snapshot: " + e.getMessage(), e);
        }
        Detector d = new Detector(config);
        d.engine.read(in);
        d.incidents.read(in);
        in.expectEnd();
        return d;
    }

    private static Set<String> readSet(StateInput in) {
        int n = in.i32(0, 10_000, "field count");
        Set<String> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String f = in.str();
            if (f == null) {
                throw new CbadException.SnapshotException("corrupt snapshot: null field name", null);
            }
            s.add(f);
        }
        return s;
    }

    /**
     * Stateless one-shot analysis: feeds the optional baseline (verdicts discarded), then scores
     * each item in order. Without a baseline the first items are "calibrating"
     * ({@link #warmupEvents(DetectorConfig)}).
     *
     * @param config   configuration
     * @param baseline known-normal events, oldest first (may be empty or null)
     * @param items    events to score
     * @return one verdict per item, in order
     * @throws CbadException if the config or an event is invalid (message names the item index)
     */
    public static List<Verdict> batch(DetectorConfig config, List<String> baseline, List<String> items) {
        if (items == null) {
            throw new CbadException.InvalidInputException("items must not be null");
        }
        try (Detector d = create(config)) {
            if (baseline != null) {
                int i = 0;
                for (String b : baseline) {
                    try {
                        d.score(b);
                    } catch (CbadException.InvalidInputException e) {
                        throw new CbadException.InvalidInputException("baseline item " + i + ": " + e.getMessage(), e);
                    }
                    i++;
                }
            }
            List<Verdict> out = new ArrayList<>(items.size());
            int i = 0;
            for (String item : items) {
                Verdict v;
                try {
                    v = d.score(item);
                } catch (CbadException.InvalidInputException e) {
                    throw new CbadException.InvalidInputException("item " + i + ": " + e.getMessage(), e);
                }
                out.add(v);
                i++;
            }
            return out;
        }
    }

    /** Releases the native zstd memory of this detector. */
    @Override
    public void close() {
        engine.close();
    }
}
