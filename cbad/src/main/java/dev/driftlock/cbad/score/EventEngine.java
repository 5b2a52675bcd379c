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
 *   <li>Anomaly iff {@code p <= alpha}. Normal events enter the baseline and calibration sets;
 *       anomalies go to a quarantine instead of the baseline (no poisoning); an isolated anomaly (no
 *       other in the previous 64 events) enters the calibration sets capped at their current
 *       maximum, which keeps the tail count honest on normal streams, while bursts (incidents) stay
 *       out. If at least 75 % of the last 128 events
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
    static final int MAX_NOVEL = 10;
    /** A flag with no other flag in the previous this-many events is isolated. */
    static final int ISOLATED = 64;
    /** Shares of the alarm level: compression, numeric extremes, rarity, context numeric, context categorical, rate. */
    static final double[] WEIGHTS = {0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2};
    private static final int RATE = 5;
    private static final int BURST = 6;
    static final String[] COMPONENTS = {"compression", "numeric", "rarity", "context", "context_category", "rate",
        "burst", "echo"};

    private final InputKind kind;
    private final int baselineEvents;
    private final int warmBaseline;
    private final Canonicalizer canon;
    private final CompressionModel model;
    private final NumericModel numeric;
    private final TailCalibrator compCal = new TailCalibrator(CALIBRATION_CAPACITY, 8.0);
    private final TailCalibrator numCal = new TailCalibrator(CALIBRATION_CAPACITY, 1.0);
    private final TokenRarity rarity = new TokenRarity();
    private final EntityModel entities;
    private final TemplateMiner templates = new TemplateMiner();
    private final EventTokens tokens = new EventTokens();
    /** Calibrators of rarity, contextual numeric, contextual categorical and rate scores. */
    private final TailCalibrator[] cals = {
        new TailCalibrator(CALIBRATION_CAPACITY, BIT, true), new TailCalibrator(CALIBRATION_CAPACITY, 0.5),
        new TailCalibrator(CALIBRATION_CAPACITY, BIT, false), new TailCalibrator(CALIBRATION_CAPACITY, BIT, false),
        new TailCalibrator(CALIBRATION_CAPACITY, BIT, false), new TailCalibrator(CALIBRATION_CAPACITY, BIT, true)};
    private final Echo echo = new Echo();
    private long lastEventTime = Long.MIN_VALUE;

    @Override
    public long lastEventTime() {
        return lastEventTime;
    }
    /** Index of the echo score in {@link #comp}. */
    private static final int ECHO = 5;
    /** Tail scale of scores in bits: beyond the calibration set, p halves per bit of surprise. */
    private static final double BIT = 1.0 / Math.log(2);
    private final double[] comp = new double[6];
    private final boolean[] applies = new boolean[6];
    private final TokenBursts bursts = new TokenBursts();
    /** Calibration of the Fisher sum of the component p-values. */
    private final TailCalibrator combinedCal = new TailCalibrator(CALIBRATION_CAPACITY, 1.0);
    private double combined;
    /** Reference p-value of the streak: events with a smaller p add to it, others drain it. */
    static final double STREAK_REFERENCE = 0.05;
    /** Exponent of the streak's tail for independent p-values: {@code STREAK_REFERENCE^theta = 1 - theta}. */
    static final double STREAK_THETA = 0.94;
    private double streak;
    private final TailCalibrator streakCal = new TailCalibrator(CALIBRATION_CAPACITY, 1.0, false);
    private final Quarantine quarantine = new Quarantine();
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
        for (TailCalibrator c : cals) {
            c.clear();
        }
        combinedCal.clear();
        streak = 0;
        streakCal.clear();
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

    /**
     * @return the Bonferroni p-value of the components that are about this event alone, without the
     *         windowed rates and bursts (whose consecutive values share almost all their window and
     *         would count the same evidence again and again in a streak)
     */
    private static double freshP(double[] ps) {
        double share = 0;
        for (int i = 0; i < ps.length; i++) {
            if (i != RATE && i != BURST) {
                share += WEIGHTS[i];
            }
        }
        double p = 1.0;
        for (int i = 0; i < ps.length; i++) {
            if (i != RATE && i != BURST) {
                p = Math.min(p, ps[i] * share / WEIGHTS[i]);
            }
        }
        return p;
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
                int missing = warmBaseline - model.size() + CALIBRATION_MIN - compCal.size();
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
            if (compCal.size() < CALIBRATION_MIN) {
                combined = Double.NaN;
                calibrate(bits, numBits, e, false);
                acceptNormal(e);
                maybeWindow(idx);
                int missing = CALIBRATION_MIN - compCal.size();
                if (missing == 0) {
                    return scoredNormal(idx, 1.0, new double[] {1, 1, 1, 1, 1, 1, 1, 1}, cost, bits, e, null);
                }
                return new Verdict.Calibrating(idx, missing, calibratingWhy(missing));
            }
            double[] ps = new double[8];
            ps[0] = compCal.pValue(bits);
            boolean hasNum = e.numCount() > 0 && numCal.size() >= CALIBRATION_MIN / 2;
            ps[1] = hasNum ? numCal.pValue(numBits) : 1.0;
            for (int i = 0; i < comp.length; i++) {
                ps[2 + i] = comp[i] > 0 && applies[i] && cals[i].size() >= CALIBRATION_MIN ? cals[i].pValue(comp[i]) : 1.0;
            }
            int top = 0;
            double bonferroni = 1.0;
            combined = 0;
            for (int i = 0; i < ps.length; i++) {
                double q = ps[i] / WEIGHTS[i];
                if (q < bonferroni) {
                    bonferroni = q;
                    top = i;
                }
                combined -= Math.log(Math.max(ps[i], 1e-12));
            }
            // one strong sign (Bonferroni) or several moderate ones together (the Fisher sum of the
            // components, calibrated on this stream's own normal events, so their dependence is priced in)
            boolean combinedReady = combinedCal.size() >= CALIBRATION_MIN;
            double pFisher = combinedReady ? combinedCal.pValue(combined) : 1.0;
            double pEvent = Math.min(1.0, Math.min(bonferroni, 2 * pFisher));
            // evidence that accumulates over consecutive suspicious events (a burst of events each a
            // little unusual): a CUSUM of log(STREAK_REFERENCE / p), calibrated like the components
            double step = Math.log(STREAK_REFERENCE / Math.max(freshP(ps), 1e-12));
            boolean running = streak > 0;
            streak = Math.max(0.0, streak + step);
            // a streak is two or more suspicious events; its p-value is never below the bound that
            // holds for independent events, exp(-theta S), whatever the calibration set has seen
            double pStreak = running && step > 0 && streakCal.size() >= CALIBRATION_MIN
                    ? Math.max(streakCal.pValue(streak), Math.exp(-STREAK_THETA * streak)) : 1.0;
            double p = Math.min(pEvent, Math.min(1.0, 2 * pStreak));
            boolean anomaly = p <= alpha;
            boolean known = false;
            if (anomaly && quarantine.known(cause(top), idx)) {
                // the incident of this cause is reported and its shape learned: not a new alarm
                anomaly = false;
                known = true;
            }
            quarantine.record(idx, anomaly);
            if (anomaly) {
                // the incident is reported: the next alarm needs evidence of its own (no aftermath)
                streak = 0;
            }
            Evidence evidence;
            if (anomaly) {
                evidence = evidence(e, cost, bits, ps, top);
                if (idx - lastFlag > ISOLATED) {
                    calibrate(bits, numBits, e, true);
                }
                lastFlag = idx;
                bursts.forgetLast();
                quarantine.hold(new Quarantine.Held(e, tokens.template, evidence.cause(), idx));
                learn(quarantine.releaseRepeated(evidence.cause(), idx), true);
            } else {
                calibrate(bits, numBits, e, false);
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
            String why = Explainer.eventWhy(idx, p, alpha, score, evidence, compCal.median() / 8.0);
            if (drift != null && drift.drift()) {
                why = why + " " + drift.why();
            }
            return new Verdict.Scored(idx, score, p, alpha, true, evidence, why, drift);
        } finally {
            index++;
        }
    }

    /**
     * Adds the event's raw scores to the calibration sets: a normal event as it is, an isolated
     * flagged one capped at the current maximum (the tail count stays honest on normal streams,
     * and an extreme anomaly cannot stretch the tail and hide the next one); flagged events inside
     * a burst stay out (an incident does not teach the calibration that it is normal; a recurring
     * cause is learned by {@link Quarantine} instead).
     */
    private void calibrate(double bits, double numBits, CanonicalEvent e, boolean capped) {
        add(compCal, bits, capped);
        if (!Double.isNaN(combined)) {
            if (capped) {
                streakCal.addCapped(streak);
            } else {
                streakCal.addWinsorized(streak);
            }
        }
        if (!Double.isNaN(combined)) {
            add(combinedCal, combined, capped);
        }
        if (e.numCount() > 0) {
            add(numCal, numBits, capped);
        }
        for (int i = 0; i < comp.length; i++) {
            if (applies[i]) {
                if (!capped && i == ECHO) {
                    cals[i].addWinsorized(comp[i]);
                } else {
                    add(cals[i], comp[i], capped);
                }
            }
        }
    }

    private static void add(TailCalibrator c, double s, boolean capped) {
        if (capped) {
            c.addCapped(s);
        } else {
            c.add(s);
        }
    }

    private Verdict.Scored scoredNormal(long idx, double p, double[] ps, int cost, double bits,
                                        CanonicalEvent e, DriftReport drift) {
        Evidence ev = new Evidence(e.analysed().length, cost, bits, model.size(), compCal.size(), List.of(),
                List.of(), components(ps));
        String why = drift != null && drift.drift() ? drift.why() : "normal";
        return new Verdict.Scored(idx, Sensitivity.score(p), p, alpha, false, ev, why, drift);
    }

    private static Map<String, Double> components(double[] ps) {
        Map<String, Double> m = new java.util.TreeMap<>();
        for (int i = 0; i < ps.length; i++) {
            m.put(COMPONENTS[i], ps[i]);
        }
        return m;
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

    private Evidence evidence(CanonicalEvent e, int cost, double bits, double[] ps, int top) {
        List<String> novel = new ArrayList<>();
        if (kind == InputKind.TEXT && tokens.template != null && templates.template(
                Integer.parseInt(tokens.template.substring(1))) != null) {
            novel.add("template " + tokens.template + ": " + templates.template(Integer.parseInt(tokens.template.substring(1))));
        }
        String text = new String(e.analysed(), StandardCharsets.UTF_8);
        if (kind == InputKind.JSON) {
            for (String line : text.split("\n")) {
                if (line.isEmpty() || novel.size() >= MAX_NOVEL) {
                    continue;
                }
                int eq = line.indexOf('=');
                String key = eq > 0 ? line.substring(0, eq) : line;
                if (!model.dictionaryContains("\n" + key + "=")) {
                    novel.add("new field " + key);
                } else if (!model.dictionaryContains("\n" + line + "\n")) {
                    novel.add(line);
                }
            }
        } else {
            for (String token : text.split("\n")) {
                if (!token.isEmpty() && novel.size() < MAX_NOVEL && !model.dictionaryContains("\n" + token + "\n")) {
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
                components(ps), cause(top), detail(top));
    }

    /** The cause of a flag: its strongest component and what it is about (groups incidents). */
    private String cause(int top) {
        if (kind == InputKind.TEXT) {
            // a log line's cause is its template, whichever component saw it
            return "template:" + tokens.template;
        }
        return switch (top) {
            case 3 -> "context:" + entities.contextEntity + ":" + entities.contextField;
            case 4 -> "context_category:" + entities.categoricalEntity;
            case 5 -> "burst:" + entities.rateEntity.substring(0, entities.rateEntity.indexOf(" ("));
            case 6 -> "burst:" + burstToken();
            case 7 -> "echo";
            default -> COMPONENTS[top];
        };
    }

    private String burstToken() {
        return bursts.topToken < 0 ? "" : tokens.text(bursts.topToken);
    }

    private String detail(int top) {
        return switch (top) {
            case 3 -> entities.contextField + " is unusual for " + entities.contextEntity;
            case 4 -> tokens.text(entities.categoricalToken) + " changed for " + entities.categoricalEntity
                    + ", constant over its history until now";
            case 5 -> "burst of " + entities.rateEntity;
            case 6 -> String.format(java.util.Locale.ROOT, "burst of the rare %s (%d of the last %d events, %.1f expected)",
                    burstToken(), bursts.topCount, TokenBursts.WINDOW, bursts.topExpected);
            case 7 -> "its rare values repeat those of an event just before it (a burst of one shape)";
            case 2 -> "rare values for this stream";
            case 1 -> "extreme numeric value";
            default -> "unusual content for this stream";
        };
    }

    @Override
    public void write(StateOutput out) {
        out.i64(index);
        out.i64(lastFlag);
        model.write(out);
        numeric.write(out);
        compCal.write(out);
        numCal.write(out);
        quarantine.write(out);
        rarity.write(out);
        bursts.write(out);
        echo.write(out);
        entities.write(out);
        templates.write(out);
        for (TailCalibrator c : cals) {
            c.write(out);
        }
        combinedCal.write(out);
        out.f64(streak);
        streakCal.write(out);
        window.write(out);
    }

    @Override
    public void read(StateInput in) {
        index = in.i64();
        lastFlag = in.i64();
        model.read(in);
        numeric.read(in);
        compCal.read(in);
        numCal.read(in);
        quarantine.read(in);
        rarity.read(in);
        bursts.read(in);
        echo.read(in);
        entities.read(in);
        templates.read(in);
        for (TailCalibrator c : cals) {
            c.read(in);
        }
        combinedCal.read(in);
        streak = in.f64();
        streakCal.read(in);
        window.read(in);
    }

    @Override
    public void close() {
        model.close();
        window.close();
    }
}
