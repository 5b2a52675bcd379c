package dev.driftlock.cbad.metric;

import dev.driftlock.cbad.score.TailCalibrator;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.Arrays;

/**
 * State of one numeric field: a raw history for the seasonal reference (period found by
 * autocorrelation), robust baseline statistics of residuals (median/MAD of the last
 * {@link #BASELINE} normal points), a short recent window and one calibrator per component.
 * Internal to the engine.
 */
final class Series implements AutoCloseable {

    static final int BASELINE = 512;
    static final int RECENT = 16;
    static final int LEVEL_SPAN = 8;
    static final int CAL = 1000;
    static final String[] COMPONENTS = {"spike", "level", "variance"};

    static final int HISTORY = 1024;
    static final int MAX_PERIOD = 256;

    final String name;
    private final double[] history = new double[HISTORY];
    private final boolean[] marked = new boolean[HISTORY];
    private int histHead;
    private int histSize;
    private long pushed;
    private int period;
    private double expected = Double.NaN;
    private final double[] base = new double[BASELINE];
    private int baseHead;
    private int baseSize;
    private double median = Double.NaN;
    private double scale = Double.NaN;
    private int sinceStats;
    private final double[] recent = new double[RECENT];
    private int recentHead;
    private int recentSize;
    final TailCalibrator[] cal = new TailCalibrator[COMPONENTS.length];

    Series(String name) {
        this.name = name;
        for (int i = 0; i < cal.length; i++) {
            cal[i] = new TailCalibrator(CAL, 0.0);
        }
    }

    int baselineSize() {
        return baseSize;
    }

    double median() {
        return median;
    }

    double scale() {
        return scale;
    }

    /** Robust z of a value against the baseline. */
    double z(double x) {
        return (x - median) / scale;
    }

    private void stats() {
        sinceStats = 0;
        double[] a = Arrays.copyOf(base, baseSize);
        Arrays.sort(a);
        median = a[baseSize / 2];
        for (int i = 0; i < baseSize; i++) {
            a[i] = Math.abs(a[i] - median);
        }
        Arrays.sort(a);
        double mad = a[baseSize / 2];
        double floor = Math.max(1e-9, Math.abs(median) * 1e-3);
        // a constant series has MAD 0: fall back to the mean absolute deviation, then to a floor
        if (mad < floor) {
            double sum = 0;
            for (double v : a) {
                sum += v;
            }
            mad = Math.max(sum / baseSize / 1.2533, floor);
        }
        scale = 1.4826 * mad;
    }

    /** Adds a normal point to the baseline. */
    void acceptBaseline(double x) {
        base[baseHead] = x;
        baseHead = (baseHead + 1) % BASELINE;
        if (baseSize < BASELINE) {
            baseSize++;
        }
        if (++sinceStats >= 8 || Double.isNaN(median) || baseSize < 64) {
            stats();
        }
    }

    /** Replaces the baseline by the recent window (regime change). */
    void rebase() {
        double[] r = recentValues();
        baseHead = 0;
        baseSize = 0;
        for (double v : r) {
            acceptBaseline(v);
        }
        stats();
    }

    int period() {
        return period;
    }

    /** @return the value the seasonal reference expected for the last pushed point */
    double expected() {
        return expected;
    }

    private double hist(int back) {
        return history[(histHead - back + HISTORY) % HISTORY];
    }

    /**
     * Residual of a point against the seasonal reference: the median of the values one, two and
     * three periods ago when a period was detected, else the raw value.
     */
    private double residual(double x) {
        if (period > 0 && histSize >= 3 * period) {
            double[] v = new double[3];
            int n = 0;
            for (int k = 1; k <= 3; k++) {
                if (!marked[(histHead - k * period + HISTORY) % HISTORY]) {
                    v[n++] = hist(k * period);
                }
            }
            double ref;
            if (n == 0) {
                double a = hist(period);
                double b = hist(2 * period);
                double c = hist(3 * period);
                ref = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            } else if (n == 1) {
                ref = v[0];
            } else if (n == 2) {
                ref = (v[0] + v[1]) / 2;
            } else {
                ref = Math.max(Math.min(v[0], v[1]), Math.min(Math.max(v[0], v[1]), v[2]));
            }
            expected = ref;
            return x - ref;
        }
        expected = 0;
        return x;
    }

    /**
     * Detects a period by autocorrelation of the raw history (lags 4..256, at most a third of the
     * history); a period is kept when its autocorrelation is at least 0.3 and a local maximum.
     */
    private void detectPeriod() {
        int n = histSize;
        int maxLag = Math.min(MAX_PERIOD, n / 3);
        if (maxLag < 8) {
            return;
        }
        double[] v = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            v[i] = hist(n - i);
            mean += v[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            v[i] -= mean;
            var += v[i] * v[i];
        }
        if (var <= 0) {
            period = 0;
            return;
        }
        double[] acf = new double[maxLag + 2];
        for (int lag = 2; lag <= maxLag + 1 && lag < n; lag++) {
            double sum = 0;
            for (int i = lag; i < n; i++) {
                sum += v[i] * v[i - lag];
            }
            acf[lag] = sum / var;
        }
        int best = 0;
        double bestAcf = 0.3;
        for (int lag = 4; lag <= maxLag; lag++) {
            if (acf[lag] > bestAcf && acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1]) {
                best = lag;
                bestAcf = acf[lag];
            }
        }
        // hysteresis: keep a period that still explains the series unless another is clearly better
        if (period > 0 && period <= maxLag && acf[period] >= 0.3 && bestAcf < acf[period] + 0.1) {
            return;
        }
        period = best;
    }

    /**
     * The period changed: residuals change meaning, so the baseline is rebuilt from the residuals of
     * the history and the calibrators start over (the series calibrates again for 64 points).
     */
    private void reseason() {
        int n = histSize;
        int start = period > 0 ? 3 * period : 0;
        baseHead = 0;
        baseSize = 0;
        for (int i = Math.max(start, n - BASELINE); i < n; i++) {
            int back = n - i;
            double x = hist(back);
            double r = x;
            if (period > 0) {
                double a = hist(back + period);
                double b = hist(back + 2 * period);
                double c = hist(back + 3 * period);
                r = x - Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            }
            base[baseHead] = r;
            baseHead = (baseHead + 1) % BASELINE;
            baseSize++;
        }
        recentSize = 0;
        recentHead = 0;
        if (baseSize == 0) {
            base[0] = 0;
            baseSize = 1;
            baseHead = 1;
        }
        stats();
        for (TailCalibrator c : cal) {
            c.clear();
        }
    }

    /**
     * Pushes a point (every point, flagged or not) into the history, the recent window of residuals
     * and the symbol history.
     *
     * @return the residual of the point
     */
    double push(double x) {
        if (++pushed % 128 == 0) {
            int before = period;
            detectPeriod();
            if (period != before) {
                reseason();
            }
        }
        double r = residual(x);
        history[histHead] = x;
        marked[histHead] = false;
        histHead = (histHead + 1) % HISTORY;
        if (histSize < HISTORY) {
            histSize++;
        }
        pushRecent(r);
        return r;
    }

    /**
     * Marks the newest history value as suspicious or anomalous: the seasonal reference of the next
     * periods skips it (the median of the unmarked values one, two and three periods back).
     */
    void markLast() {
        marked[(histHead - 1 + HISTORY) % HISTORY] = true;
    }

    private void pushRecent(double x) {
        recent[recentHead] = x;
        recentHead = (recentHead + 1) % RECENT;
        if (recentSize < RECENT) {
            recentSize++;
        }
    }

    private double[] recentValues() {
        double[] r = new double[recentSize];
        for (int i = 0; i < recentSize; i++) {
            r[i] = recent[(recentHead - recentSize + i + RECENT) % RECENT];
        }
        return r;
    }

    /**
     * Raw component statistics of the newest point (already pushed), higher = more anomalous.
     */
    double[] components(double x) {
        double spike = Math.abs(z(x));
        double[] r = recentValues();
        double sum = 0;
        int span = Math.min(LEVEL_SPAN, r.length);
        for (int i = r.length - span; i < r.length; i++) {
            sum += r[i];
        }
        double level = Math.abs(sum / span - median) / scale;
        double[] s = r.clone();
        Arrays.sort(s);
        double rm = s[s.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.abs(s[i] - rm);
        }
        Arrays.sort(s);
        double rmad = 1.4826 * s[s.length / 2];
        double variance = Math.abs(Math.log((rmad + scale * 0.05) / (scale + scale * 0.05)));
        return new double[] {spike, level, variance};
    }

    void write(StateOutput out) {
        out.str(name);
        double[] h = new double[histSize];
        int[] m = new int[histSize];
        for (int i = 0; i < histSize; i++) {
            h[i] = hist(histSize - i);
            m[i] = marked[(histHead - (histSize - i) + HISTORY) % HISTORY] ? 1 : 0;
        }
        out.doubles(h);
        out.ints(m);
        out.i64(pushed);
        out.i32(period);
        out.f64(expected);
        double[] b = new double[baseSize];
        for (int i = 0; i < baseSize; i++) {
            b[i] = base[(baseHead - baseSize + i + BASELINE) % BASELINE];
        }
        out.doubles(b);
        out.i32(sinceStats);
        out.f64(median);
        out.f64(scale);
        out.doubles(recentValues());
        for (TailCalibrator c : cal) {
            c.write(out);
        }
    }

    static Series read(StateInput in) {
        String name = in.str();
        if (name == null) {
            throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: series name", null);
        }
        Series s = new Series(name);
        double[] h = in.doubles();
        int[] m = in.ints();
        if (h.length > HISTORY || m.length != h.length) {
            throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: series history", null);
        }
        System.arraycopy(h, 0, s.history, 0, h.length);
        for (int i = 0; i < m.length; i++) {
            s.marked[i] = m[i] != 0;
        }
        s.histSize = h.length;
        s.histHead = h.length % HISTORY;
        s.pushed = in.i64();
        s.period = in.i32(0, MAX_PERIOD, "period");
        s.expected = in.f64();
        double[] b = in.doubles();
        if (b.length > BASELINE) {
            throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: series baseline", null);
        }
        System.arraycopy(b, 0, s.base, 0, b.length);
        s.baseSize = b.length;
        s.baseHead = b.length % BASELINE;
        s.sinceStats = in.i32();
        s.median = in.f64();
        s.scale = in.f64();
        double[] r = in.doubles();
        if (r.length > RECENT) {
            throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: series window", null);
        }
        System.arraycopy(r, 0, s.recent, 0, r.length);
        s.recentSize = r.length;
        s.recentHead = r.length % RECENT;
        for (TailCalibrator c : s.cal) {
            c.read(in);
        }
        return s;
    }

    @Override
    public void close() {
        // no native resources
    }
}
