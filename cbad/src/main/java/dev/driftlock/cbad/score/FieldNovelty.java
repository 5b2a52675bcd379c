package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/**
 * Learns which JSON fields are volatile from the data: a field whose value is absent from the
 * baseline in at least 60 % of at least 100 events (user names, free-text ids the masker does not
 * recognise) is high-cardinality noise, not a signal; its value is replaced by {@code <var>} before
 * compression. Counts are halved every 2,000 observations of a field so the status can change back.
 *
 * <p>Keys are identified by a 64-bit hash; at most {@link #MAX_KEYS} keys. Internal to the engine.
 */
final class FieldNovelty {

    static final int MAX_KEYS = 1024;
    static final int MIN_SEEN = 100;
    static final int HALVE_AT = 2000;

    private final long[] keys = new long[MAX_KEYS * 2];
    private final int[] slot = new int[MAX_KEYS * 2];
    private final int[] seen = new int[MAX_KEYS];
    private final int[] novel = new int[MAX_KEYS];
    private final boolean[] volatileKey = new boolean[MAX_KEYS];
    private int count;
    private int volatileCount;

    private int find(long key, boolean create) {
        int mask = keys.length - 1;
        int i = (int) (mix(key) & mask);
        while (true) {
            if (keys[i] == 0) {
                if (!create || count >= MAX_KEYS) {
                    return -1;
                }
                keys[i] = key;
                slot[i] = count;
                return count++;
            }
            if (keys[i] == key) {
                return slot[i];
            }
            i = (i + 1) & mask;
        }
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** @return whether any field is volatile */
    boolean any() {
        return volatileCount > 0;
    }

    /**
     * @param key key hash (never 0)
     * @return whether the field is volatile
     */
    boolean isVolatile(long key) {
        if (volatileCount == 0) {
            return false;
        }
        int s = find(key, false);
        return s >= 0 && volatileKey[s];
    }

    /**
     * Records one observation of a field.
     *
     * @param key     key hash (never 0)
     * @param isNovel whether its value was absent from the baseline
     * @return true if the field's volatile status changed
     */
    boolean observe(long key, boolean isNovel) {
        int s = find(key, true);
        if (s < 0) {
            return false;
        }
        seen[s]++;
        if (isNovel) {
            novel[s]++;
        }
        if (seen[s] >= HALVE_AT) {
            seen[s] >>= 1;
            novel[s] >>= 1;
        }
        boolean now = seen[s] >= MIN_SEEN && novel[s] * 10 >= seen[s] * 6;
        if (seen[s] >= MIN_SEEN && now != volatileKey[s]) {
            volatileKey[s] = now;
            volatileCount += now ? 1 : -1;
            return true;
        }
        return false;
    }

    void write(StateOutput out) {
        out.i32(count);
        long[] byOrder = new long[count];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                byOrder[slot[i]] = keys[i];
            }
        }
        for (int s = 0; s < count; s++) {
            out.i64(byOrder[s]);
            out.i32(seen[s]);
            out.i32(novel[s]);
            out.bool(volatileKey[s]);
        }
    }

    void read(StateInput in) {
        int n = in.i32(0, MAX_KEYS, "field count");
        for (int s = 0; s < n; s++) {
            long key = in.i64();
            if (key == 0 || find(key, true) != s) {
                throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: field table", null);
            }
            seen[s] = in.i32();
            novel[s] = in.i32();
            volatileKey[s] = in.bool();
            if (volatileKey[s]) {
                volatileCount++;
            }
        }
    }
}
