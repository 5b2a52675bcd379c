package dev.driftlock.cbad.score;

import dev.driftlock.cbad.template.TemplateMiner;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Engine of JSON and text streams.
 *
 * <ol>
 *   <li>Canonicalize (sorted keys, masked volatile tokens, quantized numbers, field filter).</li>
 *   <li>Warm-up: the first {@code warmBaseline} events only fill the baseline; the next
 *       {@link #CALIBRATION_MIN} are scored to fill the calibration sets; no verdicts.</li>
 *   <li>Score: eight components - compressed size in bits with the baseline as zstd dictionary
 *       ({@link CompressionModel}), numeric extremes ({@link NumericModel}), token rarity
 *       ({@link TokenRarity}), per-entity context and rates ({@link EntityModel}), rare-token bursts
 *       ({@link TokenBursts}) and echo ({@link Echo}) - each calibrated, then combined with the
 *       streak into the event's p-value ({@link EventCalibration}).</li>
 *   <li>Anomaly iff {@code p <= alpha}. Normal events enter the baseline and calibration sets;
 *       anomalies go to a quarantine instead of the baseline (no poisoning); an isolated anomaly (no
 *       other in the previous 64 events) enters the calibration sets capped at their current
 *       maximum, which keeps the tail count honest on normal streams, while bursts (incidents) stay
 *       out. If at least 75 % of the last 128 events
 *       were flagged, or the window test reported drift {@value WindowTest#ABSORB_AFTER} times in a
 *       row, the change is taken as the new normal: the quarantine enters the baseline
 *       ({@link Quarantine}, which also learns a cause that recurred or was marked normal).</li>
 *   <li>Every {@value WindowTest#HOP} events the window drift test runs.</li>
 * </ol>
 * Not thread-safe; one instance per stream. Internal to the engine.
 */
public final class EventEngine implements StreamEngine {

    /** Scored warm-up events needed to fill the calibration set. */
    public static final int CALIBRATION_MIN = 128;
    /** A flag with no other flag in the previous this-many events is isolated. */
    static final int ISOLATED = 64;

    private final InputKind kind;
    private final int baselineEvents;
    private final int warmBaseline;
    private final Canonicalizer canon;
    private final CompressionModel model;
    private final NumericModel numeric;
    private final EventCalibration cal = new EventCalibration(CALIBRATION_MIN);
    private final TokenRarity rarity = new TokenRarity();
    private final EntityModel entities;
    private final TemplateMiner templates = new TemplateMiner();
    private final EventTokens tokens = new EventTokens();
    private final Echo echo = new Echo();
    private long lastEventTime = Long.MIN_VALUE;

    @Override
    public long lastEventTime() {
        return lastEventTime;
    }
    private final double[] comp = new double[6];
    private final boolean[] applies = new boolean[6];
    private final TokenBursts bursts = new TokenBursts();
    private final Quarantine quarantine = new Quarantine();
    private final EventEvidence explain;
    private final WindowTest window = new WindowTest();
    private long index;
    private long lastFlag = -1_000_000;
    private double alpha;

    /**
     * @param kind           JSON or TEXT
     * @param baselineEvents baseline capacity
     * @param alpha          alarm level
     * @param filter         field filter
     */
    public EventEngine(InputKind kind, int baselineEvents, double alpha, FieldFilter filter) {
        this(kind, baselineEvents, alpha, filter, List.of());
    }

    /**
     * @param kind           JSON or TEXT
     * @param baselineEvents baseline capacity
     * @param alpha          alarm level
     * @param filter         field filter
     * @param entityKeys     entity key fields (empty: found automatically)
     */
    public EventEngine(InputKind kind, int baselineEvents, double alpha, FieldFilter filter, List<String> entityKeys) {
        this.entities = new EntityModel(entityKeys);
        this.entities.useRarity(rarity);
        this.kind = kind;
        this.baselineEvents = baselineEvents;
        this.warmBaseline = Math.min(128, baselineEvents / 2);
        this.alpha = alpha;
        this.canon = new Canonicalizer(kind, filter);
        this.model = new CompressionModel(baselineEvents, filter, true);
        this.numeric = new NumericModel(2 * baselineEvents);
        this.explain = new EventEvidence(kind, model, numeric, templates, tokens, entities, bursts);
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
        cal.clear();
    }

    private void acceptNormal(CanonicalEvent e) {
        model.accept(e.full(), e.analysed());
        numeric.accept(e);
        rarity.accept(tokens.keys, tokens.tokens, tokens.count);
        entities.learn(e, tokens.template, tokens.catKeys, tokens.cat, tokens.catCount);
    }

    private void tokenize(CanonicalEvent e, String template, boolean learnTemplate) {
        if (kind == InputKind.TEXT) {
            if (learnTemplate) {
                TemplateMiner.Match m = templates.match(lines(e.analysed()));
                tokens.text(m.id(), m.parameters());
            } else {
                tokens.text(Integer.parseInt(template.substring(1)), List.of());
            }
        } else {
            tokens.json(e, entities);
        }
    }

    private static List<String> lines(byte[] analysed) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < analysed.length; i++) {
            if (analysed[i] == '\n') {
                out.add(new String(analysed, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * Feedback: events of this cause are normal. Its quarantined events are learned now and later
     * events of the cause no longer alarm. The cause {@code drift} takes the whole quarantine as the
     * new normal.
     *
     * @param cause the cause of a reported incident
     * @return whether the stream learned anything (false when the cause was already known and
     *         nothing of it was held)
     */
    @Override
    public boolean markNormal(String cause) {
        if ("drift".equals(cause)) {
            return learn(quarantine.releaseAll(), true);
        }
        boolean fresh = !quarantine.acknowledged(cause);
        return learn(quarantine.markNormal(cause), true) || fresh;
    }

    /** Learns released events as normal; rebuilds the dictionary from the baseline if asked. */
    private boolean learn(List<Quarantine.Held> events, boolean rebuild) {
        for (Quarantine.Held q : events) {
            tokenize(q.event(), q.template(), false);
            acceptNormal(q.event());
        }
        if (rebuild && !events.isEmpty()) {
            model.rebuild();
        }
        return !events.isEmpty();
    }

    @Override
    public Verdict score(String raw) {
        CanonicalEvent e = canon.canonicalize(raw);
        if (kind == InputKind.JSON && e.full().length == 0) {
            throw new CbadException.InvalidInputException("event has no fields");
        }
        long idx = index;
        lastEventTime = e.eventTime();
        window.push(e.analysed());
        tokenize(e, null, true);
        entities.observe(e, tokens.template, tokens.catKeys, tokens.cat, tokens.catIndex, tokens.catCount, idx);
        try {
            if (model.size() < warmBaseline) {
                acceptNormal(e);
                int missing = warmBaseline - model.size() + CALIBRATION_MIN - cal.size();
                return new Verdict.Calibrating(idx, missing, calibratingWhy(missing));
            }
            int cost = model.cost(model.prepare(e.analysed()));
            double numBits = numeric.maxSurprisal(e, kind == InputKind.TEXT);
            double bits = 8.0 * cost;
            comp[0] = rarity.score(tokens.keys, tokens.tokens, tokens.count);
            comp[1] = entities.contextNumeric;
            comp[2] = entities.contextCategorical;
            comp[3] = entities.rate;
            applies[0] = true;
            applies[1] = entities.numericApplies;
            applies[2] = entities.categoricalApplies;
            applies[3] = entities.rateApplies;
            comp[4] = bursts.observe(tokens.tokens, rarity.lastCounts, tokens.count, rarity.events());
            applies[4] = true;
            // log lines come in groups that share their rare tokens; for text the template rates see bursts
            comp[5] = kind == InputKind.TEXT ? 0 : echo.observe(tokens.tokens, rarity.lastCounts, rarity.events(), tokens.count);
            applies[5] = kind != InputKind.TEXT;
            if (cal.size() < CALIBRATION_MIN) {
                cal.warming();
                cal.add(bits, numBits, e.numCount(), comp, applies, false);
                acceptNormal(e);
                maybeWindow(idx);
                int missing = CALIBRATION_MIN - cal.size();
                if (missing == 0) {
                    return scoredNormal(idx, 1.0, new double[] {1, 1, 1, 1, 1, 1, 1, 1}, cost, bits, e, null);
                }
                return new Verdict.Calibrating(idx, missing, calibratingWhy(missing));
            }
            double[] ps = cal.pValues(bits, numBits, e.numCount(), comp, applies);
            double p = cal.combine(ps);
            int top = cal.top();
            boolean anomaly = p <= alpha;
            boolean known = false;
            if (anomaly && quarantine.known(explain.cause(top), idx)) {
                // the incident of this cause is reported and its shape learned: not a new alarm
                anomaly = false;
                known = true;
            }
            quarantine.record(idx, anomaly);
            if (anomaly) {
                cal.resetStreak();
            }
            Evidence evidence;
            if (anomaly) {
                evidence = explain.evidence(e, cost, bits, cal.size(), ps, top);
                if (idx - lastFlag > ISOLATED) {
                    cal.add(bits, numBits, e.numCount(), comp, applies, true);
                }
                lastFlag = idx;
                bursts.forgetLast();
                quarantine.hold(new Quarantine.Held(e, tokens.template, evidence.cause(), idx));
                learn(quarantine.releaseRepeated(evidence.cause(), idx), true);
            } else {
                cal.add(bits, numBits, e.numCount(), comp, applies, false);
                acceptNormal(e);
                evidence = null;
            }
            DriftReport drift = maybeWindow(idx);
            if (quarantine.changedForGood() || window.consecutiveDrift() >= WindowTest.ABSORB_AFTER) {
                learn(quarantine.releaseAll(), false);
            }
            double score = Sensitivity.score(p);
            if (!anomaly) {
                return scoredNormal(idx, known ? Math.max(p, alpha * 1.0001) : p, ps, cost, bits, e, drift);
            }
            String why = Explainer.eventWhy(idx, p, alpha, score, evidence, cal.medianBits() / 8.0);
            if (drift != null && drift.drift()) {
                why = why + " " + drift.why();
            }
            return new Verdict.Scored(idx, score, p, alpha, true, evidence, why, drift);
        } finally {
            index++;
        }
    }

    private Verdict.Scored scoredNormal(long idx, double p, double[] ps, int cost, double bits,
                                        CanonicalEvent e, DriftReport drift) {
        Evidence ev = new Evidence(e.analysed().length, cost, bits, model.size(), cal.size(), List.of(),
                List.of(), EventEvidence.components(ps));
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

    @Override
    public void write(StateOutput out) {
        out.i64(index);
        out.i64(lastFlag);
        model.write(out);
        numeric.write(out);
        cal.write(out);
        quarantine.write(out);
        rarity.write(out);
        bursts.write(out);
        echo.write(out);
        entities.write(out);
        templates.write(out);
        window.write(out);
    }

    @Override
    public void read(StateInput in) {
        index = in.i64();
        lastFlag = in.i64();
        model.read(in);
        numeric.read(in);
        cal.read(in);
        quarantine.read(in);
        rarity.read(in);
        bursts.read(in);
        echo.read(in);
        entities.read(in);
        templates.read(in);
        window.read(in);
    }

    @Override
    public void close() {
        model.close();
        window.close();
    }
}
