package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;


/**
 * Point anomalies by rarity: how often each {@code key=value} token (a field and its masked,
 * quantized value, or a log template and its parameters) appeared among the recent normal events.
 * Per key, the token's p-value is the share of the key's events whose value was at most as frequent
 * as this one ({@code (mass of rarer values + 1) / (n + 1)}; a value never seen gets the share of
 * values seen once, the Good-Turing estimate of novelty). So a value seen in 1 % of events of a
 * nearly constant field (a TCP flag, a guest login) has p about 0.01, while yet another value of a
 * field that always varies (a byte count) has p near 1. The event's score is the sum of its
 * {@value #TOP} largest {@code -log2 p}: one very rare token, or a few rare ones together.
 *
 * <p>Masses per key are kept in log2 buckets of the count, so updates are O(1) and halving the
 * counts (when the token table is full) shifts them by one bucket. Memory: a {@link CountTable} of
 * {@value #CAPACITY} tokens (about 1.3 MB) and at most {@value #MAX_KEYS} keys x 24 doubles.
 * Internal.
 */
final class TokenRarity {

    static final int TOP = 3;
    static final int CAPACITY = 1 << 15;
    static final int MAX_KEYS = 4096;
    static final int BUCKETS = 24;
    private static final double LOG2 = Math.log(2);

    /** Per key: events with the key, and the count mass per log2 bucket of value counts. */
    private static final class KeyStats {
        double n;
        final double[] mass = new double[BUCKETS];
    }

    private final CountTable table = new CountTable(CAPACITY);
    private final KeyIndex keys = new KeyIndex();

    /** Key hash to its stats, open addressing without boxing (at most {@value #MAX_KEYS} keys). */
    private static final class KeyIndex {
        private final long[] hashes = new long[MAX_KEYS * 4];
        private final KeyStats[] stats = new KeyStats[MAX_KEYS * 4];
        private int size;

        KeyStats get(long h) {
            int mask = hashes.length - 1;
            for (int i = (int) (CountTable.mix(h) & mask); ; i = (i + 1) & mask) {
                if (stats[i] == null) {
                    return null;
                }
                if (hashes[i] == h) {
                    return stats[i];
                }
            }
        }

        void put(long h, KeyStats k) {
            int mask = hashes.length - 1;
            int i = (int) (CountTable.mix(h) & mask);
            while (stats[i] != null && hashes[i] != h) {
                i = (i + 1) & mask;
            }
            if (stats[i] == null) {
                size++;
            }
            hashes[i] = h;
            stats[i] = k;
        }

        int size() {
            return size;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            java.util.Arrays.fill(stats, null);
            size = 0;
        }

        /** @return the keys, sorted */
        long[] sortedKeys() {
            long[] out = new long[size];
            int n = 0;
            for (int i = 0; i < stats.length; i++) {
                if (stats[i] != null) {
                    out[n++] = hashes[i];
                }
            }
            java.util.Arrays.sort(out);
            return out;
        }

        /** Removes the keys whose stats match, rebuilding the table. */
        void removeIf(java.util.function.Predicate<KeyStats> drop) {
            long[] ks = sortedKeys();
            KeyStats[] vs = new KeyStats[ks.length];
            for (int i = 0; i < ks.length; i++) {
                vs[i] = get(ks[i]);
            }
            clear();
            for (int i = 0; i < ks.length; i++) {
                if (!drop.test(vs[i])) {
                    put(ks[i], vs[i]);
                }
            }
        }

        void forEach(java.util.function.Consumer<KeyStats> f) {
            for (KeyStats k : stats) {
                if (k != null) {
                    f.accept(k);
                }
            }
        }
    }
    private long halvingsSeen;
    private int topToken = -1;
    /** Per token of the last score, its count among normal events. */
    final int[] lastCounts = new int[EventTokens.MAX];
    /** Per token of the last score, its rarity in bits. */
    final double[] lastBits = new double[EventTokens.MAX];

    /** @return index (into the last scored tokens) of the rarest token, or -1 */
    int topToken() {
        return topToken;
    }

    private static int bucket(int count) {
        return Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(count));
    }

    /** @return the p-value of a token with count c under a key */
    private static double pValue(KeyStats k, int c) {
        if (k == null || k.n < 1) {
            return 1.0;
        }
        double below;
        if (c == 0) {
            below = k.mass[0];
        } else {
            int b = bucket(c);
            below = 0;
            for (int i = 0; i < b; i++) {
                below += k.mass[i];
            }
            below += Math.max(c, 0.5 * k.mass[b]);
        }
        return Math.min(1.0, (below + 1.0) / (k.n + 1.0));
    }

    /**
     * @param keyHashes   per token, hash of its key
     * @param tokenHashes per token, hash of the whole token
     * @param n           tokens valid
     * @return the score in bits (0 when all tokens are common)
     */
    double score(long[] keyHashes, long[] tokenHashes, int n) {
        double t1 = 0, t2 = 0, t3 = 0;
        topToken = -1;
        for (int i = 0; i < n; i++) {
            KeyStats k = keys.get(keyHashes[i]);
            int c = table.get(tokenHashes[i]);
            lastCounts[i] = c;
            double bits;
            if (k == null) {
                // a field never seen: as rare as a value never seen in a constant field
                bits = keys.isEmpty() ? 0 : Math.log(eventsSeen + 1.0) / LOG2;
            } else {
                bits = -Math.log(pValue(k, c)) / LOG2;
            }
            lastBits[i] = bits;
            if (bits > t1) {
                t3 = t2;
                t2 = t1;
                t1 = bits;
                topToken = i;
            } else if (bits > t2) {
                t3 = t2;
                t2 = bits;
            } else if (bits > t3) {
                t3 = bits;
            }
        }
        return t1 + t2 + t3;
    }

    /** @return the share of a key's normal events that had this token (0 when unknown) */
    double share(long keyHash, long tokenHash) {
        KeyStats k = keys.get(keyHash);
        return k == null || k.n < 1 ? 0.0 : Math.min(1.0, table.get(tokenHash) / k.n);
    }

    /** @return -log2 p of one token (for explanations) */
    double bits(long keyHash, long tokenHash) {
        return -Math.log(pValue(keys.get(keyHash), table.get(tokenHash))) / LOG2;
    }

    private long eventsSeen;

    /** @return normal events learned (halved with the counts) */
    double events() {
        return decayedEvents;
    }

    private double decayedEvents;

    /** Learns the tokens of a normal event. */
    void accept(long[] keyHashes, long[] tokenHashes, int n) {
        eventsSeen++;
        decayedEvents++;
        for (int i = 0; i < n; i++) {
            KeyStats k = keys.get(keyHashes[i]);
            if (k == null && keys.size() < MAX_KEYS) {
                k = new KeyStats();
                keys.put(keyHashes[i], k);
            }
            int c = table.get(tokenHashes[i]);
            table.add(tokenHashes[i]);
            if (table.halvings() != halvingsSeen) {
                halvingsSeen = table.halvings();
                halveKeys();
                c = table.get(tokenHashes[i]) - 1;
            }
            if (k == null) {
                continue;
            }
            if (c > 0) {
                k.mass[bucket(c)] -= c;
            }
            k.mass[bucket(c + 1)] += c + 1;
            k.n++;
        }
    }

    private void halveKeys() {
        decayedEvents *= 0.5;
        keys.forEach(k -> {
            k.n *= 0.5;
            for (int b = 0; b < BUCKETS - 1; b++) {
                k.mass[b] = 0.5 * k.mass[b + 1];
            }
            k.mass[BUCKETS - 1] *= 0.5;
        });
        keys.removeIf(k -> k.n < 0.5);
    }

    void write(StateOutput out) {
        out.i64(eventsSeen);
        out.f64(decayedEvents);
        out.i64(halvingsSeen);
        table.write(out);
        long[] ks = keys.sortedKeys();
        out.i32(ks.length);
        for (long key : ks) {
            KeyStats k = keys.get(key);
            out.i64(key);
            out.f64(k.n);
            out.doubles(k.mass);
        }
    }

    void read(StateInput in) {
        eventsSeen = in.i64();
        decayedEvents = in.f64();
        halvingsSeen = in.i64();
        table.read(in);
        keys.clear();
        int n = in.i32(0, MAX_KEYS, "rarity key count");
        for (int i = 0; i < n; i++) {
            long key = in.i64();
            KeyStats k = new KeyStats();
            k.n = in.f64();
            System.arraycopy(in.doubles(), 0, k.mass, 0, BUCKETS);
            keys.put(key, k);
        }
    }
}
