package dev.driftlock.cbad.score;

/**
 * Counts per 64-bit key for the tokens of a sliding window: open addressing with linear probing and
 * backward-shift deletion, no boxing. Sized for at most {@code capacity} keys at a time (the table
 * holds twice that many slots, rounded up to a power of two). Key 0 is reserved. Internal.
 */
final class WindowCounts {

    private final long[] keys;
    private final int[] counts;
    private final int mask;

    /** @param capacity most keys held at once */
    WindowCounts(int capacity) {
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        keys = new long[slots];
        counts = new int[slots];
        mask = slots - 1;
    }

    private int slot(long key) {
        int i = (int) CountTable.mix(key) & mask;
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** @return the key's count after adding one */
    int increment(long key) {
        int i = slot(key);
        keys[i] = key;
        return ++counts[i];
    }

    /** Removes one count of the key (the key leaves when its count reaches 0). */
    void decrement(long key) {
        int i = slot(key);
        if (keys[i] == 0) {
            return;
        }
        if (--counts[i] > 0) {
            return;
        }
        // backward-shift deletion keeps every probe chain unbroken
        int hole = i;
        int j = (i + 1) & mask;
        while (keys[j] != 0) {
            int home = (int) CountTable.mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                counts[hole] = counts[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        keys[hole] = 0;
        counts[hole] = 0;
    }

    /** Forgets every key. */
    void clear() {
        java.util.Arrays.fill(keys, 0);
        java.util.Arrays.fill(counts, 0);
    }
}
