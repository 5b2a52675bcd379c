package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/**
 * Counts per 64-bit key (a hash of a token), each with one running value (for example the mean
 * surprise of a field), in an open-addressing table of bounded size. When the
 * table is full every count is halved and the zeros are dropped, so old tokens fade and memory stays
 * bounded; {@link #total()} is halved with them. Key 0 is reserved (callers never hash to it).
 *
 * <p>Memory: 20 bytes per slot, {@code 2 x capacity} slots. Internal to the engine.
 */
final class CountTable {

    private final int capacity;
    private long[] keys;
    private int[] counts;
    private double[] values;
    private int size;
    private long total;
    private long halvings;

    /** @param capacity most distinct keys held before counts are halved */
    CountTable(int capacity) {
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new long[slots];
        counts = new int[slots];
        values = new double[slots];
    }

    /** @return the count of a key (0 when absent) */
    int get(long key) {
        int mask = keys.length - 1;
        for (int i = (int) (mix(key) & mask); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return counts[i];
            }
            if (keys[i] == 0) {
                return 0;
            }
        }
    }

    /** @return the running value of a key ({@code orElse} when absent) */
    double value(long key, double orElse) {
        int mask = keys.length - 1;
        for (int i = (int) (mix(key) & mask); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
            if (keys[i] == 0) {
                return orElse;
            }
        }
    }

    /** Adds one to a key's count (and to the total). */
    void add(long key) {
        counts[slot(key)]++;
        total++;
    }

    /**
     * Adds one to a key's count and moves its running value towards {@code v} by {@code rate} (a new
     * key starts at {@code v}).
     */
    void add(long key, double v, double rate) {
        int i = slot(key);
        values[i] = counts[i] == 0 ? v : values[i] + rate * (v - values[i]);
        counts[i]++;
        total++;
    }

    private int slot(long key) {
        if (size >= capacity) {
            halve();
        }
        int mask = keys.length - 1;
        for (int i = (int) (mix(key) & mask); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                counts[i] = 0;
                size++;
                return i;
            }
        }
    }

    /** @return the sum of all counts (halved with them) */
    long total() {
        return total;
    }

    /** @return distinct keys held */
    int size() {
        return size;
    }

    /** @return how many times the counts were halved so far */
    long halvings() {
        return halvings;
    }

    private void halve() {
        halvings++;
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        double[] oldValues = values;
        keys = new long[oldKeys.length];
        counts = new int[oldCounts.length];
        values = new double[oldValues.length];
        size = 0;
        total = 0;
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            int c = oldCounts[j] / 2;
            if (oldKeys[j] == 0 || c == 0) {
                continue;
            }
            int i = (int) (mix(oldKeys[j]) & mask);
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = oldKeys[j];
            counts[i] = c;
            values[i] = oldValues[j];
            size++;
            total += c;
        }
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** FNV-1a over a byte range, never 0. */
    static long hash(byte[] b, int from, int to, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = from; i < to; i++) {
            h ^= b[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** FNV-1a over a string's chars, never 0. */
    static long hash(String s, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    void write(StateOutput out) {
        out.i32(size);
        out.i64(total);
        out.i64(halvings);
        long[][] pairs = new long[size][];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                pairs[n++] = new long[] {keys[i], counts[i], Double.doubleToLongBits(values[i])};
            }
        }
        java.util.Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        for (long[] kv : pairs) {
            out.i64(kv[0]);
            out.i32((int) kv[1]);
            out.f64(Double.longBitsToDouble(kv[2]));
        }
    }

    void read(StateInput in) {
        java.util.Arrays.fill(keys, 0);
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(values, 0);
        size = 0;
        int n = in.i32(0, capacity, "count table size");
        long t = in.i64();
        halvings = in.i64();
        int mask = keys.length - 1;
        for (int j = 0; j < n; j++) {
            long k = in.i64();
            int c = in.i32();
            double v = in.f64();
            int i = (int) (mix(k) & mask);
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            counts[i] = c;
            values[i] = v;
            size++;
        }
        total = t;
    }
}
