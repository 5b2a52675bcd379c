package dev.driftlock.cbad.score;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.DriftReport;
import dev.driftlock.cbad.Evidence;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Sensitivity;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.explain.Explainer;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;
import dev.driftlock.cbad.window.WindowTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Engine of JSON and text streams.
 *
 * <ol>
 *   <li>Canonicalize (sorted keys, masked volatile tokens, quantized numbers, field filter).</li>
 *   <li>Warm-up: the first {@code warmBaseline} events only fill the baseline; the next
 *       {@link #CALIBRATION_MIN} are scored to fill the calibration sets; no verdicts.</li>
 *   <li>Score: compressed size of the event in bits with the baseline as zstd dictionary, and the
 *       largest tail extremeness of its numeric fields ({@link NumericModel}); each turned into a
 *       p-value by a {@link TailCalibrator} over the last 2,000 normal events; the event's p-value is
 *       the weighted Bonferroni {@code min(pc / 0.8, pn / 0.2)}.</li>
 *   <li>Anomaly iff {@code p <= alpha}. Normal events enter the baseline and calibration sets,
 *       anomalies go to a quarantine instead (no poisoning). If at least 75 % of the last 128 events
 *       were flagged, or the window test reported drift {@value WindowTest#ABSORB_AFTER} times in a
 *       row, the change is taken as the new normal: the quarantine enters the baseline.</li>
 *   <li>Every {@value WindowTest#HOP} events the window drift test runs.</li>
 * </ol>
 * Not thread-safe; one instance per stream. Internal to the engine.
 */
public final class EventEngine implements StreamEngine {

    /** Scored warm-up events needed to fill the calibration set. */
    public static final int CALIBRATION_MIN = 128;
    static final int CALIBRATION_CAPACITY = 2000;
    static final int QUARANTINE = 256;
    static final int FLAG_WINDOW = 128;
    static final int ABSORB_FLAGS = 96;
    static final int MAX_NOVEL = 10;
    /** Share of the alarm level given to the compression test (the rest goes to numeric extremes). */
    static final double COMPRESSION_WEIGHT = 0.8;

    private final InputKind kind;
    private final int baselineEvents;
    private final int warmBaseline;
    private final Canonicalizer canon;
    private final CompressionModel model;
    private final NumericModel numeric;
    private final TailCalibrator compCal = new TailCalibrator(CALIBRATION_CAPACITY, 8.0);
    private final TailCalibrator numCal = new TailCalibrator(CALIBRATION_CAPACITY, 1.0);
    private final ArrayDeque<CanonicalEvent> quarantine = new ArrayDeque<>();
    private final boolean[] flags = new boolean[FLAG_WINDOW];
    private int flagCount;
    private final WindowTest window = new WindowTest();
    private long index;
    private double alpha;

    /**
     * @param kind           JSON or TEXT
     * @param baselineEvents baseline capacity
     * @param alpha          alarm level
     * @param filter         field filter
     */
    public EventEngine(InputKind kind, int baselineEvents, double alpha, FieldFilter filter) {
        this.kind = kind;
        this.baselineEvents = baselineEvents;
        this.warmBaseline = Math.min(128, baselineEvents / 2);
        this.alpha = alpha;
        this.canon = new Canonicalizer(kind, filter);
        this.model = new CompressionModel(baselineEvents, filter, kind == InputKind.JSON);
        this.numeric = new NumericModel(2 * baselineEvents);
    }

    /** @return events needed before the first verdict, from an empty stream */
    public int warmupEvents() {
        return warmBaseline + CALIBRATION_MIN;
    }

    @Override
    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public void setFilter(FieldFilter filter) {
        canon.setFilter(filter);
        model.setFilter(filter);
        compCal.clear();
        numCal.clear();
    }

    private void acceptNormal(CanonicalEvent e) {
        model.accept(e.full(), e.analysed());
        numeric.accept(e);
    }

    private void recordFlag(boolean flagged) {
        int at = (int) (index % FLAG_WINDOW);
        if (flags[at]) {
            flagCount--;
        }
        flags[at] = flagged;
        if (flagged) {
            flagCount++;
        }
    }

    private void absorb() {
        for (CanonicalEvent q : quarantine) {
            acceptNormal(q);
        }
        quarantine.clear();
        java.util.Arrays.fill(flags, false);
        flagCount = 0;
    }

    @Override
    public Verdict score(String raw) {
        CanonicalEvent e = canon.canonicalize(raw);
        if (kind == InputKind.JSON && e.full().length == 0) {
            throw new CbadException.InvalidInputException("event has no fields");
        }
        long idx = index;
        window.push(e.analysed());
        try {
            if (model.size() < warmBaseline) {
                acceptNormal(e);
                int missing = warmBaseline - model.size() + CALIBRATION_MIN - compCal.size();
                return new Verdict.Calibrating(idx, missing, calibratingWhy(missing));
            }
            int cost = model.cost(model.prepare(e.analysed()));
            double numBits = numeric.maxSurprisal(e);
            double bits = 8.0 * cost;
            if (compCal.size() < CALIBRATION_MIN) {
                compCal.add(bits);
                if (e.numCount() > 0) {
                    numCal.add(numBits);
                }
                acceptNormal(e);
                maybeWindow(idx);
                int missing = CALIBRATION_MIN - compCal.size();
                if (missing == 0) {
                    return scoredNormal(idx, 1.0, 1.0, 1.0, cost, bits, e, null);
                }
                return new Verdict.Calibrating(idx, missing, calibratingWhy(missing));
            }
            double pc = compCal.pValue(bits);
            boolean hasNum = e.numCount() > 0 && numCal.size() >= CALIBRATION_MIN / 2;
            double pn = hasNum ? numCal.pValue(numBits) : 1.0;
            // weighted Bonferroni: 80 % of the alarm budget to compression, 20 % to numeric extremes
            double p = hasNum ? Math.min(1.0, Math.min(pc / COMPRESSION_WEIGHT, pn / (1 - COMPRESSION_WEIGHT))) : pc;
            boolean anomaly = p <= alpha;
            recordFlag(anomaly);
            Evidence evidence;
            if (anomaly) {
                evidence = evidence(e, cost, bits, pc, pn, hasNum);
                if (quarantine.size() >= QUARANTINE) {
                    quarantine.removeFirst();
                }
                quarantine.addLast(e);
            } else {
                compCal.add(bits);
                if (e.numCount() > 0) {
                    numCal.add(numBits);
                }
                acceptNormal(e);
                evidence = null;
            }
            DriftReport drift = maybeWindow(idx);
            if (flagCount >= ABSORB_FLAGS || window.consecutiveDrift() >= WindowTest.ABSORB_AFTER) {
                absorb();
            }
            double score = Sensitivity.score(p);
            if (!anomaly) {
                return scoredNormal(idx, p, pc, pn, cost, bits, e, drift);
            }
            String why = Explainer.eventWhy(idx, p, alpha, score, evidence, compCal.median() / 8.0);
            if (drift != null && drift.drift()) {
                why = why + " " + drift.why();
            }
            return new Verdict.Scored(idx, score, p, alpha, true, evidence, why, drift);
        } finally {
            index++;
        }
    }

    private Verdict.Scored scoredNormal(long idx, double p, double pc, double pn, int cost, double bits,
                                        CanonicalEvent e, DriftReport drift) {
        Evidence ev = new Evidence(e.analysed().length, cost, bits, model.size(), compCal.size(), List.of(),
                List.of(), Map.of("compression", pc, "numeric", pn));
        String why = drift != null && drift.drift() ? drift.why() : "normal";
        return new Verdict.Scored(idx, Sensitivity.score(p), p, alpha, false, ev, why, drift);
    }

    private DriftReport maybeWindow(long idx) {
        if (!window.due() || model.size() < warmBaseline) {
            return null;
        }
        double windowAlpha = Math.max(1e-4, Math.min(0.01, alpha * 10));
        return window.test(idx, model, windowAlpha);
    }

    private static String calibratingWhy(int missing) {
        return "calibrating: " + missing + " more events needed before the first verdict";
    }

    private Evidence evidence(CanonicalEvent e, int cost, double bits, double pc, double pn, boolean hasNum) {
        List<String> novel = new ArrayList<>();
        String text = new String(e.analysed(), StandardCharsets.UTF_8);
        if (kind == InputKind.JSON) {
            for (String line : text.split("\n")) {
                if (line.isEmpty() || novel.size() >= MAX_NOVEL) {
                    continue;
                }
                int eq = line.indexOf('=');
                String key = eq > 0 ? line.substring(0, eq) : line;
                if (!model.dictionaryContains(key + "=")) {
                    novel.add("new field " + key);
                } else if (!model.dictionaryContains(line + "\n")) {
                    novel.add(line);
                }
            }
        } else {
            for (String token : text.strip().split(" ")) {
                if (!token.isEmpty() && novel.size() < MAX_NOVEL && !model.dictionaryContains(token)) {
                    novel.add(token);
                }
            }
        }
        List<Evidence.NumericDeviation> nums = new ArrayList<>();
        for (int i = 0; i < e.numCount(); i++) {
            double s = numeric.surprisal(e.numKeys()[i], e.numValues()[i]);
            if (s >= 9.0 && nums.size() < MAX_NOVEL) {
                nums.add(new Evidence.NumericDeviation(e.numKeys()[i], e.numValues()[i],
                        numeric.median(e.numKeys()[i]), Double.NaN));
            }
        }
        return new Evidence(e.analysed().length, cost, bits, model.size(), compCal.size(), novel, nums,
                hasNum ? Map.of("compression", pc, "numeric", pn) : Map.of("compression", pc));
    }

    private static void writeEvent(StateOutput out, CanonicalEvent e) {
        out.bytes(e.analysed());
        out.bytes(e.full() == e.analysed() ? null : e.full());
        out.i32(e.numCount());
        for (int i = 0; i < e.numCount(); i++) {
            out.str(e.numKeys()[i]);
            out.f64(e.numValues()[i]);
        }
    }

    private static CanonicalEvent readEvent(StateInput in) {
        byte[] a = in.bytes();
        byte[] f = in.bytes();
        int n = in.i32(0, Canonicalizer.MAX_NUMERIC, "numeric count");
        String[] k = new String[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = in.str();
            v[i] = in.f64();
        }
        if (a == null) {
            throw new CbadException.SnapshotException("corrupt snapshot: null event", null);
        }
        return new CanonicalEvent(a, f == null ? a : f, k, v, n);
    }

    @Override
    public void write(StateOutput out) {
        out.i64(index);
        model.write(out);
        numeric.write(out);
        compCal.write(out);
        numCal.write(out);
        out.i32(quarantine.size());
        for (CanonicalEvent q : quarantine) {
            writeEvent(out, q);
        }
        out.i32(flagCount);
        for (boolean f : flags) {
            out.bool(f);
        }
        window.write(out);
    }

    @Override
    public void read(StateInput in) {
        index = in.i64();
        model.read(in);
        numeric.read(in);
        compCal.read(in);
        numCal.read(in);
        int q = in.i32(0, QUARANTINE, "quarantine size");
        for (int i = 0; i < q; i++) {
            quarantine.addLast(readEvent(in));
        }
        flagCount = in.i32(0, FLAG_WINDOW, "flag count");
        for (int i = 0; i < FLAG_WINDOW; i++) {
            flags[i] = in.bool();
        }
        window.read(in);
    }

    @Override
    public void close() {
        model.close();
        window.close();
    }
}
