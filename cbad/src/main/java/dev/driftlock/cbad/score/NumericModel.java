package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per numeric field of JSON events, a histogram of log-scale buckets (a third of an octave each,
 * signed) over the recent normal events: the surprisal of a value's bucket, smoothed with its
 * neighbours, measures how unusual the value is (a huge response size, a latency spike, a fraud-size
 * amount). Counts are halved when a field has seen twice the baseline size (forgetting).
 *
 * <p>Memory: at most {@link #MAX_FIELDS} fields x 256 ints. Internal to the engine.
 */
public final class NumericModel {

    /** Most numeric fields tracked per stream. */
    public static final int MAX_FIELDS = 64;
    static final int BUCKETS = 256;

    private final int horizon;
    private final Map<String, int[]> hist = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    /** Position of a field's total in its histogram array (after the buckets). */
    private static final int TOTAL = BUCKETS;

    /** @param horizon events after which counts are halved (twice the baseline size) */
    public NumericModel(int horizon) {
        this.horizon = horizon;
    }

    static int bucket(double v) {
        if (Double.isNaN(v)) {
            return BUCKETS / 2;
        }
        double a = Math.abs(v);
        if (a < 1e-9) {
            return BUCKETS / 2;
        }
        long b = Math.round(3.0 * (Math.log(a) / Math.log(2.0))) + 64;
        int k = (int) Math.max(1, Math.min(127, b));
        return v > 0 ? BUCKETS / 2 + k : BUCKETS / 2 - k;
    }

    /** Representative value of a bucket (for explanations). */
    static double bucketValue(int idx) {
        int k = idx - BUCKETS / 2;
        if (k == 0) {
            return 0;
        }
        double mag = Math.pow(2.0, (Math.abs(k) - 64) / 3.0);
        return k > 0 ? mag : -mag;
    }

    /**
     * Tail extremeness of a value: {@code -log2((t + 0.5) / (n + 1))} where t is the baseline mass on
     * the value's far side (the smaller of the counts below and above its bucket, plus half its own
     * bucket), plus the distance in buckets (thirds of an octave) beyond the most extreme baseline
     * bucket on that side. A value inside the usual range scores about 1-3; a value ten times the
     * largest seen scores 11 + 10. Zero is scored by its tail mass only (no distance).
     *
     * @param field field path
     * @param v     value
     * @return the extremeness (0 if the field has too little history)
     */
    public double surprisal(String field, double v) {
        int[] h = hist.get(field);
        if (h == null) {
            return 0.0;
        }
        int total = h[TOTAL];
        if (total < 16) {
            return 0.0;
        }
        int b = bucket(v);
        // the buckets sum to the total: count the shorter side, derive the other
        int below = 0;
        int above = 0;
        if (b < BUCKETS / 2) {
            for (int i = 0; i < b; i++) {
                below += h[i];
            }
            above = total - below - h[b];
        } else {
            for (int i = BUCKETS - 1; i > b; i--) {
                above += h[i];
            }
            below = total - above - h[b];
        }
        double tail = Math.min(below, above) + h[b] / 2.0;
        double distance = 0;
        // zero has no log-scale distance: 0 ms or 0 bytes next to values of 20 is not 60 thirds of
        // an octave away; it scores by its tail mass alone
        if (h[b] == 0 && b != BUCKETS / 2) {
            if (above == 0 && below > 0) {
                int nearest = b - 1;
                while (nearest >= 0 && h[nearest] == 0) {
                    nearest--;
                }
                distance = b - nearest - 1;
            } else if (below == 0 && above > 0) {
                int nearest = b + 1;
                while (nearest < BUCKETS && h[nearest] == 0) {
                    nearest++;
                }
                distance = nearest - b - 1;
            }
        }
        return -Math.log((tail + 0.5) / (total + 1.0)) / Math.log(2.0) + distance;
    }

    /**
     * @param e canonical event
     * @return the largest surprisal of its numeric fields, in bits
     */
    public double maxSurprisal(CanonicalEvent e) {
        return maxSurprisal(e, false);
    }

    /**
     * @param e              the event
     * @param quantitiesOnly only numbers with a unit ({@code 120ms}, recorded under {@code #ms}):
     *                       the bare numbers of a log line are mostly ids, pids and ports
     * @return the largest extremeness of its numeric fields
     */
    public double maxSurprisal(CanonicalEvent e, boolean quantitiesOnly) {
        double max = 0;
        for (int i = 0; i < e.numCount(); i++) {
            String k = e.numKeys()[i];
            if (quantitiesOnly && !(k.length() > 1 && k.charAt(0) == '#')) {
                continue;
            }
            max = Math.max(max, surprisal(k, e.numValues()[i]));
        }
        return max;
    }

    /**
     * @param field field path
     * @return how many baseline values fell into the value's bucket, and the total, as {count, total}
     * @param v value
     */
    public int[] counts(String field, double v) {
        int[] h = hist.get(field);
        if (h == null) {
            return new int[] {0, 0};
        }
        return new int[] {h[bucket(v)], h[TOTAL]};
    }

    /**
     * @param field field path
     * @return approximate median of the field in the baseline (NaN if unknown)
     */
    public double median(String field) {
        int[] h = hist.get(field);
        if (h == null) {
            return Double.NaN;
        }
        int total = h[TOTAL];
        int acc = 0;
        for (int i = 0; i < BUCKETS; i++) {
            acc += h[i];
            if (acc * 2 >= total) {
                return bucketValue(i);
            }
        }
        return Double.NaN;
    }

    /** @param e a normal event: its numeric fields enter the histograms */
    public void accept(CanonicalEvent e) {
        for (int i = 0; i < e.numCount(); i++) {
            String f = e.numKeys()[i];
            int[] h = hist.get(f);
            if (h == null) {
                if (hist.size() >= MAX_FIELDS) {
                    continue;
                }
                h = new int[BUCKETS + 1];
                hist.put(f, h);
                order.add(f);
            }
            h[bucket(e.numValues()[i])]++;
            int t = h[TOTAL] + 1;
            if (t >= horizon) {
                t = 0;
                for (int j = 0; j < BUCKETS; j++) {
                    h[j] >>= 1;
                    t += h[j];
                }
            }
            h[TOTAL] = t;
        }
    }

    /** @param out state sink */
    public void write(StateOutput out) {
        out.i32(order.size());
        for (String f : order) {
            out.str(f);
            int[] h = hist.get(f);
            out.i32(h[TOTAL]);
            out.ints(java.util.Arrays.copyOf(h, BUCKETS));
        }
    }

    /** @param in state written by {@link #write} */
    public void read(StateInput in) {
        hist.clear();
        order.clear();
        int n = in.i32(0, MAX_FIELDS, "numeric fields");
        for (int i = 0; i < n; i++) {
            String f = in.str();
            int t = in.i32(0, Integer.MAX_VALUE, "numeric total");
            int[] h = in.ints();
            if (f == null || h.length != BUCKETS) {
                throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: numeric histogram", null);
            }
            int[] withTotal = java.util.Arrays.copyOf(h, BUCKETS + 1);
            withTotal[TOTAL] = t;
            hist.put(f, withTotal);
            order.add(f);
        }
    }
}
