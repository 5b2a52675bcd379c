package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stream-wide view of the numeric fields that entity profiles follow: an index per field (the
 * first {@code capacity} fields seen), the field's running deviation (the floor of an entity's
 * scale), and whether it is a measure at all: counters and sequence numbers (rising most of the
 * time), codes (at most {@value #DISCRETE} distinct values) and mostly-zero counts are not.
 * Not thread-safe. Internal to the engine.
 */
final class FieldScales {

    static final int DISCRETE = 16;

    private final int capacity;
    private final Map<String, Integer> fields = new LinkedHashMap<>();
    private final double[] mean;
    private final double[] dev;
    private final long[] n;
    /** Per field, how often a value exceeded the previous one. */
    private final long[] rising;
    private final double[] previous;
    /** Per field, how many values were exactly 0. */
    private final long[] zeros;
    /** Per field, its first distinct values. */
    private final List<Set<Double>> distinct = new ArrayList<>();

    /** @param capacity fields followed */
    FieldScales(int capacity) {
        this.capacity = capacity;
        mean = new double[capacity];
        dev = new double[capacity];
        n = new long[capacity];
        rising = new long[capacity];
        previous = new double[capacity];
        zeros = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            distinct.add(new HashSet<>());
        }
    }

    /** @return the field's index, or -1 when it is not followed */
    int index(String field) {
        Integer f = fields.get(field);
        return f == null ? -1 : f;
    }

    /** @return whether the field is a measure (not a counter, a code or a mostly-zero count) */
    boolean measure(int f) {
        return rising[f] <= 0.9 * n[f] && distinct.get(f).size() > DISCRETE && zeros[f] <= 0.8 * n[f];
    }

    /** @return the field's stream-wide mean absolute deviation */
    double deviation(int f) {
        return dev[f];
    }

    /**
     * Learns a normal event's numeric values.
     *
     * @return per numeric value of the event, its field's index or -1
     */
    int[] learn(CanonicalEvent e) {
        int[] idx = new int[e.numCount()];
        for (int i = 0; i < e.numCount(); i++) {
            Integer f = fields.get(e.numKeys()[i]);
            if (f == null && fields.size() < capacity) {
                f = fields.size();
                fields.put(e.numKeys()[i], f);
            }
            idx[i] = f == null ? -1 : f;
            if (f != null) {
                double x = e.numValues()[i];
                if (n[f] > 0 && x > previous[f]) {
                    rising[f]++;
                }
                previous[f] = x;
                if (x == 0) {
                    zeros[f]++;
                }
                if (distinct.get(f).size() <= DISCRETE) {
                    distinct.get(f).add(x);
                }
                n[f]++;
                double r = Math.max(1.0 / n[f], 0.005);
                dev[f] += r * (Math.abs(x - mean[f]) - dev[f]);
                mean[f] += r * (x - mean[f]);
            }
        }
        return idx;
    }

    void write(StateOutput out) {
        out.i32(fields.size());
        for (Map.Entry<String, Integer> f : fields.entrySet()) {
            out.str(f.getKey());
        }
        out.doubles(mean);
        out.doubles(dev);
        for (int i = 0; i < capacity; i++) {
            out.i64(n[i]);
            out.i64(rising[i]);
            out.i64(zeros[i]);
            out.f64(previous[i]);
            List<Double> ds = new ArrayList<>(distinct.get(i));
            ds.sort(Double::compare);
            out.i32(ds.size());
            ds.forEach(out::f64);
        }
    }

    void read(StateInput in) {
        fields.clear();
        int nf = in.i32(0, capacity, "entity field count");
        for (int i = 0; i < nf; i++) {
            fields.put(in.str(), i);
        }
        System.arraycopy(in.doubles(), 0, mean, 0, capacity);
        System.arraycopy(in.doubles(), 0, dev, 0, capacity);
        for (int i = 0; i < capacity; i++) {
            n[i] = in.i64();
            rising[i] = in.i64();
            zeros[i] = in.i64();
            previous[i] = in.f64();
            distinct.get(i).clear();
            int nd = in.i32(0, DISCRETE + 1, "distinct values");
            for (int j = 0; j < nd; j++) {
                distinct.get(i).add(in.f64());
            }
        }
    }
}
