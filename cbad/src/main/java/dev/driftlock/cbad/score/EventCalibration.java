package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/**
 * The calibration of an {@link EventEngine}: one {@link TailCalibrator} per component over the last
 * {@value #CAPACITY} normal events, and how the component p-values become the event's p-value: the
 * smaller of the weighted Bonferroni {@code min p_i / w_i} (one strong sign), twice the calibrated
 * Fisher sum of all components (several moderate signs together) and twice the p-value of the
 * streak, a CUSUM of {@code ln(0.05 / q)} over the components about the event alone (consecutive
 * events each a little unusual). Not thread-safe. Internal to the engine.
 */
final class EventCalibration {

    static final int CAPACITY = 2000;
    /** Shares of the alarm level, in the order of {@link #COMPONENTS}. */
    static final double[] WEIGHTS = {0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2};
    static final String[] COMPONENTS = {"compression", "numeric", "rarity", "context", "context_category", "rate",
        "burst", "echo"};
    /** Positions of the windowed components among the p-values (they take no part in the streak). */
    private static final int RATE = 5;
    private static final int BURST = 6;
    /** Position of the echo score among the raw scores of {@link #pValues}. */
    private static final int ECHO = 5;
    /** Reference p-value of the streak: events with a smaller p add to it, others drain it. */
    static final double STREAK_REFERENCE = 0.05;
    /** Exponent of the streak's tail for independent p-values: {@code STREAK_REFERENCE^theta = 1 - theta}. */
    static final double STREAK_THETA = 0.94;
    /** Tail scale of scores in bits: beyond the calibration set, p halves per bit of surprise. */
    private static final double BIT = 1.0 / Math.log(2);

    private final int minimum;
    private final TailCalibrator compression = new TailCalibrator(CAPACITY, 8.0);
    private final TailCalibrator numeric = new TailCalibrator(CAPACITY, 1.0);
    /** Calibrators of rarity, contextual numeric, contextual categorical, rate, burst and echo scores. */
    private final TailCalibrator[] others = {
        new TailCalibrator(CAPACITY, BIT, true), new TailCalibrator(CAPACITY, 0.5),
        new TailCalibrator(CAPACITY, BIT, false), new TailCalibrator(CAPACITY, BIT, false),
        new TailCalibrator(CAPACITY, BIT, false), new TailCalibrator(CAPACITY, BIT, true)};
    /** Calibration of the Fisher sum of the component p-values. */
    private final TailCalibrator fisher = new TailCalibrator(CAPACITY, 1.0);
    private final TailCalibrator streaks = new TailCalibrator(CAPACITY, 1.0, false);
    private double combined = Double.NaN;
    private double streak;
    private int top;

    /** @param minimum calibration scores a calibrator needs before its p-values count */
    EventCalibration(int minimum) {
        this.minimum = minimum;
    }

    /** @return compression scores held (the engine is calibrated once it reaches the minimum) */
    int size() {
        return compression.size();
    }

    /** @return the median compressed size in bits of the normal events */
    double medianBits() {
        return compression.median();
    }

    /** Marks an event of the warm-up: no combined p-value was computed for it. */
    void warming() {
        combined = Double.NaN;
    }

    /**
     * @param bits     compressed size in bits
     * @param numBits  largest numeric extremeness
     * @param numCount numeric values of the event
     * @param raw      the other components' raw scores (rarity, context, context category, rate,
     *                 burst, echo)
     * @param applies  per raw score, whether it applied to the event
     * @return the p-value per component, in the order of {@link #COMPONENTS}
     */
    double[] pValues(double bits, double numBits, int numCount, double[] raw, boolean[] applies) {
        double[] ps = new double[COMPONENTS.length];
        ps[0] = compression.pValue(bits);
        ps[1] = numCount > 0 && numeric.size() >= minimum / 2 ? numeric.pValue(numBits) : 1.0;
        for (int i = 0; i < raw.length; i++) {
            ps[2 + i] = raw[i] > 0 && applies[i] && others[i].size() >= minimum ? others[i].pValue(raw[i]) : 1.0;
        }
        return ps;
    }

    /**
     * Combines the component p-values and advances the streak.
     *
     * @return the event's p-value; {@link #top()} tells its strongest component
     */
    double combine(double[] ps) {
        top = 0;
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
        // the Fisher sum is calibrated on this stream's own normal events, so the dependence between
        // the components is priced in
        double pFisher = fisher.size() >= minimum ? fisher.pValue(combined) : 1.0;
        double pEvent = Math.min(1.0, Math.min(bonferroni, 2 * pFisher));
        double step = Math.log(STREAK_REFERENCE / Math.max(fresh(ps), 1e-12));
        boolean running = streak > 0;
        streak = Math.max(0.0, streak + step);
        // a streak is two or more suspicious events; its p-value is never below the bound that
        // holds for independent events, exp(-theta S), whatever the calibration set has seen
        double pStreak = running && step > 0 && streaks.size() >= minimum
                ? Math.max(streaks.pValue(streak), Math.exp(-STREAK_THETA * streak)) : 1.0;
        return Math.min(pEvent, Math.min(1.0, 2 * pStreak));
    }

    /** @return the strongest component of the last {@link #combine} */
    int top() {
        return top;
    }

    /** The incident is reported: the next alarm needs evidence of its own (no aftermath alarms). */
    void resetStreak() {
        streak = 0;
    }

    /**
     * The Bonferroni p-value of the components that are about this event alone, without the
     * windowed rates and bursts (whose consecutive values share almost all their window and would
     * count the same evidence again and again in a streak).
     */
    private static double fresh(double[] ps) {
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

    /**
     * Adds an event's raw scores to the calibration sets: a normal event as it is, an isolated
     * flagged one capped at the current maximum (the tail count stays honest on normal streams, and
     * an extreme anomaly cannot stretch the tail and hide the next one); the engine keeps flagged
     * events inside a burst out. Echo and streak scores of normal events enter capped at the 99.5th
     * percentile: the unflagged members of a burst must not stretch the tail and hide the rest.
     */
    void add(double bits, double numBits, int numCount, double[] raw, boolean[] applies, boolean capped) {
        add(compression, bits, capped);
        if (!Double.isNaN(combined)) {
            if (capped) {
                streaks.addCapped(streak);
            } else {
                streaks.addWinsorized(streak);
            }
            add(fisher, combined, capped);
        }
        if (numCount > 0) {
            add(numeric, numBits, capped);
        }
        for (int i = 0; i < raw.length; i++) {
            if (applies[i]) {
                if (!capped && i == ECHO) {
                    others[i].addWinsorized(raw[i]);
                } else {
                    add(others[i], raw[i], capped);
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

    /** Forgets every calibration score (the analysed fields changed). */
    void clear() {
        compression.clear();
        numeric.clear();
        for (TailCalibrator c : others) {
            c.clear();
        }
        fisher.clear();
        streaks.clear();
        streak = 0;
    }

    void write(StateOutput out) {
        compression.write(out);
        numeric.write(out);
        for (TailCalibrator c : others) {
            c.write(out);
        }
        fisher.write(out);
        out.f64(streak);
        streaks.write(out);
    }

    void read(StateInput in) {
        compression.read(in);
        numeric.read(in);
        for (TailCalibrator c : others) {
            c.read(in);
        }
        fisher.read(in);
        streak = in.f64();
        streaks.read(in);
    }
}
