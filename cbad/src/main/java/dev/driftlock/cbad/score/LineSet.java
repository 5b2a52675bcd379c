package dev.driftlock.cbad.score;

/**
 * Open-addressing set of 64-bit line hashes (the {@code key=value} lines of the dictionary). 0 is
 * never stored (hashes are forced odd). Internal to the engine.
 */
final class LineSet {

    private long[] table = new long[1024];
    private int size;

    static long hash(byte[] b, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= b[i];
            h *= 0x100000001b3L;
        }
        return h | 1L;
    }

    void clear(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2)) << 1;
        table = new long[cap];
        size = 0;
    }

    void add(long h) {
        if (size * 2 >= table.length) {
            long[] old = table;
            table = new long[old.length * 2];
            size = 0;
            for (long v : old) {
                if (v != 0) {
                    add(v);
                }
            }
        }
        int mask = table.length - 1;
        int i = (int) (FieldNovelty.mix(h) & mask);
        while (table[i] != 0) {
            if (table[i] == h) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        size++;
    }

    boolean contains(long h) {
        int mask = table.length - 1;
        int i = (int) (FieldNovelty.mix(h) & mask);
        while (table[i] != 0) {
            if (table[i] == h) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }
}
