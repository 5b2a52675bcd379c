package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.Arrays;

/**
 * Calibrated p-values of raw scores against the most recent normal scores (a sliding conformal
 * calibration set). Up to the largest calibration score the p-value is the conformal one,
 * {@code (1 + #{c >= s}) / (n + 1)} (ties counted against the event: conservative); beyond it a
 * generalized Pareto tail fitted to the top 5 % (peaks over threshold, moment estimates, shape
 * clamped to 0..0.9, scale never below the score granularity) extrapolates, so p-values keep
 * resolution below {@code 1/(n+1)} and small alarm levels are reachable with a bounded set, while a
 * stream whose normal scores are heavy-tailed gets a heavy tail (not a flood of alarms).
 *
 * <p>Memory: 2 doubles per slot. Internal to the engine.
 */
public final class TailCalibrator {

    private final int capacity;
    private final double granularity;
    private final boolean heavyTail;
    private final double[] ring;
    private final double[] sorted;
    private int head;
    private int size;
    /** The last score searched by {@link #pValue} and its position, valid until the scores change. */
    private double searched = Double.NaN;
    private int searchedAt = -1;

    /**
     * @param capacity    number of recent scores kept
     * @param granularity resolution of the scores (8 for compressed sizes in bits, 0 for continuous
     *                    scores): the fitted tail scale is never below it
     */
    public TailCalibrator(int capacity, double granularity) {
        this(capacity, granularity, true);
    }

    /**
     * @param capacity    number of recent scores kept
     * @param granularity resolution of the scores: the fitted tail scale is never below it
     * @param heavyTail   fit a generalized Pareto tail (shape 0..0.9); false: an exponential one
     *                    (shape 0), right for surprisals in bits whose tail halves per bit
     */
    public TailCalibrator(int capacity, double granularity, boolean heavyTail) {
        this.capacity = capacity;
        this.granularity = granularity;
        this.heavyTail = heavyTail;
        this.ring = new double[capacity];
        this.sorted = new double[capacity];
    }

    /** @return number of scores held */
    public int size() {
        return size;
    }

    /** @return capacity */
    public int capacity() {
        return capacity;
    }

    /** Forgets all scores. */
    public void clear() {
        head = 0;
        size = 0;
        searchedAt = -1;
    }

    /** @param s a score of a normal event */
    public void add(double s) {
        int at = searchedAt >= 0 && s == searched ? searchedAt : -1;
        searchedAt = -1;
        if (size == capacity) {
            // replace the oldest score: shift only the elements between its slot and the new one's
            double old = ring[head];
            if (old == s) {
                // the same score leaves and enters: the sorted scores stay as they are
                head = (head + 1) % capacity;
                return;
            }
            int a = lowerBound(old);
            int b = at >= 0 ? at : lowerBound(s);
            if (b > a) {
                System.arraycopy(sorted, a + 1, sorted, a, b - 1 - a);
                sorted[b - 1] = s;
            } else {
                System.arraycopy(sorted, b, sorted, b + 1, a - b);
                sorted[b] = s;
            }
            ring[head] = s;
            head = (head + 1) % capacity;
            return;
        }
        ring[head] = s;
        head = (head + 1) % capacity;
        at = at >= 0 ? at : lowerBound(s);
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = s;
        size++;
    }

    /** @return the first index whose score is at least s (size when none): a branch-free binary search */
    private int lowerBound(double s) {
        int n = size;
        if (n == 0) {
            return 0;
        }
        int base = 0;
        while (n > 1) {
            int half = n >>> 1;
            base = sorted[base + half - 1] < s ? base + half : base;
            n -= half;
        }
        return sorted[base] < s ? base + 1 : base;
    }

    /**
     * Adds the score of a flagged event, capped at the current maximum: the count of tail events
     * stays right (excluding flagged scores would truncate the tail and make later p-values too
     * small), while an extreme anomaly cannot stretch the tail and hide the next one.
     *
     * @param s score of a flagged event
     */
    public void addCapped(double s) {
        add(size == 0 ? s : Math.min(s, sorted[size - 1]));
    }

    /**
     * Adds a normal score capped at the current 99.5th percentile (once 400 scores are held): for
     * collective scores, whose unflagged members of an incident would otherwise stretch the tail
     * and hide the rest of the incident and the next one.
     *
     * @param s a score of an event that was not flagged
     */
    public void addWinsorized(double s) {
        add(size >= 400 ? Math.min(s, sorted[(int) (size * 0.995)]) : s);
    }

    /** @return the largest calibration score (NaN when empty) */
    public double max() {
        return size == 0 ? Double.NaN : sorted[size - 1];
    }

    /** @return the median of the calibration scores (NaN when empty) */
    public double median() {
        return size == 0 ? Double.NaN : sorted[size / 2];
    }

    /**
     * @param s a raw score (higher = more surprising)
     * @return its p-value in (0, 1]
     */
    public double pValue(double s) {
        int n = size;
        if (n == 0) {
            return 1.0;
        }
        double max = sorted[n - 1];
        if (s <= max) {
            // an event's score is usually added right after its p-value: keep the position
            searched = s;
            searchedAt = lowerBound(s);
            int ge = n - searchedAt;
            return (1.0 + ge) / (n + 1.0);
        }
        int k = Math.min(n, Math.max(10, n / 20));
        double u = sorted[n - k];
        if (u >= max) {
            return 1.0 / (n + 1.0) * Math.exp(-(s - max) / Math.max(granularity, 1e-9));
        }
        // ties at the threshold (a score that is mostly 0): fit over the values strictly above it
        while (k > 1 && sorted[n - k] == u && sorted[n - k + 1] == u) {
            k--;
        }
        k = Math.max(k, 2);
        u = sorted[n - k];
        double mean = 0;
        for (int i = n - k; i < n; i++) {
            mean += sorted[i] - u;
        }
        mean /= k;
        double var = 0;
        for (int i = n - k; i < n; i++) {
            double d = sorted[i] - u - mean;
            var += d * d;
        }
        var /= Math.max(1, k - 1);
        double floor = Math.max(granularity, Math.max(1e-9, Math.abs(u) * 0.01));
        // generalized Pareto tail over u, moment estimates; shape clamped to [0, 0.9]: an
        // exponential tail at least, a heavier one when the excesses say so
        double ratio = var > 0 ? mean * mean / var : 1.0;
        double xi = heavyTail ? Math.max(0.0, Math.min(0.9, 0.5 * (1.0 - ratio))) : 0.0;
        double sigma = Math.max(floor, xi == 0.0 ? mean : 0.5 * mean * (1.0 + ratio));
        double y = s - u;
        double tail = xi < 1e-6 ? Math.exp(-y / sigma) : Math.pow(1.0 + xi * y / sigma, -1.0 / xi);
        double p = Math.min(1.0 / (n + 1.0), (k / (n + 1.0)) * tail);
        return Math.max(p, 1e-12);
    }

    /** @param out state sink; writes scores oldest first */
    public void write(StateOutput out) {
        out.i32(size);
        int start = size == capacity ? head : 0;
        for (int i = 0; i < size; i++) {
            out.f64(ring[(start + i) % capacity]);
        }
    }

    /** @param in state source written by {@link #write} */
    public void read(StateInput in) {
        clear();
        int n = in.i32(0, capacity, "calibration size");
        for (int i = 0; i < n; i++) {
            add(in.f64());
        }
    }

    /** @return copy of the sorted scores (tests) */
    double[] sortedCopy() {
        return Arrays.copyOf(sorted, size);
    }
}
