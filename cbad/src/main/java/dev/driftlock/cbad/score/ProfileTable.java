package dev.driftlock.cbad.score;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The entity profiles of a stream by 64-bit key, least recently seen first, at most
 * {@code capacity} of them (inserting into a full table evicts the least recently seen): an
 * access-ordered LRU map without boxing. Entries live in fixed slots linked in access order; an
 * open-addressing index (linear probing, backward-shift deletion) finds them. Key 0 is reserved.
 * Not thread-safe. Internal to the engine.
 */
final class ProfileTable {

    private final int capacity;
    private final long[] keys;
    private final EntityModel.Profile[] values;
    private final int[] prev;
    private final int[] next;
    /** Open-addressing index: entry number + 1, 0 for an empty slot. */
    private final int[] index;
    private final int mask;
    private int head = -1;
    private int tail = -1;
    private int size;
    private int free;

    /** @param capacity most profiles held */
    ProfileTable(int capacity) {
        this.capacity = capacity;
        keys = new long[capacity];
        values = new EntityModel.Profile[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        index = new int[slots];
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    /** @return the key's profile, now the most recently seen, or null */
    EntityModel.Profile get(long key) {
        int e = find(key);
        if (e < 0) {
            return null;
        }
        if (e != tail) {
            unlink(e);
            append(e);
        }
        return values[e];
    }

    /** Adds a profile for a key that has none (evicting the least recently seen when full). */
    void put(long key, EntityModel.Profile p) {
        int e;
        if (size == capacity) {
            e = head;
            unlink(e);
            removeIndex(keys[e]);
        } else {
            e = free++;
            size++;
        }
        keys[e] = key;
        values[e] = p;
        append(e);
        int i = (int) CountTable.mix(key) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = e + 1;
    }

    /** Calls the action for every profile, least recently seen first. */
    void forEach(BiConsumer<Long, EntityModel.Profile> action) {
        for (int e = head; e >= 0; e = next[e]) {
            action.accept(keys[e], values[e]);
        }
    }

    void clear() {
        Arrays.fill(index, 0);
        Arrays.fill(values, null);
        head = -1;
        tail = -1;
        size = 0;
        free = 0;
    }

    private int find(long key) {
        int i = (int) CountTable.mix(key) & mask;
        while (index[i] != 0) {
            int e = index[i] - 1;
            if (keys[e] == key) {
                return e;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void removeIndex(long key) {
        int i = (int) CountTable.mix(key) & mask;
        while (keys[index[i] - 1] != key) {
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = (i + 1) & mask;
        while (index[j] != 0) {
            int home = (int) CountTable.mix(keys[index[j] - 1]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = index[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        index[hole] = 0;
    }

    private void unlink(int e) {
        int p = prev[e];
        int n = next[e];
        if (p >= 0) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n >= 0) {
            prev[n] = p;
        } else {
            tail = p;
        }
    }

    private void append(int e) {
        prev[e] = tail;
        next[e] = -1;
        if (tail >= 0) {
            next[tail] = e;
        } else {
            head = e;
        }
        tail = e;
    }
}
