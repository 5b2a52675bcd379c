package dev.driftlock.cbad.score;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collective anomalies by token bursts: a value that is rare in the stream's history (a guest login,
 * a rejected-connection flag, an error template) appearing many times among the last
 * {@value #WINDOW} events, although each event alone is ordinary enough. The score is the largest
 * Poisson surprise {@code -log2 P(X >= k)} over the event's tokens, k the token's count in the
 * window and the expectation {@code WINDOW (c + 0.5) / (n + 1)} from its count c among the n
 * normal events of {@link TokenRarity}. Only tokens seen in at most {@value #RARE_SHARE} of events
 * are followed, so common tokens cost nothing.
 *
 * <p>Memory: the last {@value #WINDOW} events' rare tokens (at most {@value #MAX_PER_EVENT} each).
 * Internal.
 */
final class TokenBursts {

    static final int WINDOW = 128;
    static final int MAX_PER_EVENT = 16;
    static final double RARE_SHARE = 0.05;
    private static final double LN2 = Math.log(2);

    private final long[][] ring = new long[WINDOW][MAX_PER_EVENT];
    private final int[] ringCount = new int[WINDOW];
    private final Map<Long, int[]> recent = new HashMap<>();
    private long pushes;
    /** Index of the token of the last score's burst, or -1. */
    int topToken = -1;
    /** Count in the window of the last score's burst token. */
    int topCount;
    /** Expected count of the last score's burst token. */
    double topExpected;

    /**
     * Counts the event's rare tokens into the window and scores the burst.
     *
     * @param tokens per token, its hash
     * @param counts per token, its count among normal events
     * @param n      tokens valid
     * @param events normal events the counts are over
     * @return the burst score in bits (0 for none)
     */
    double observe(long[] tokens, int[] counts, int n, double events) {
        int at = (int) (pushes % WINDOW);
        if (pushes >= WINDOW) {
            for (int i = 0; i < ringCount[at]; i++) {
                int[] c = recent.get(ring[at][i]);
                if (c != null && --c[0] == 0) {
                    recent.remove(ring[at][i]);
                }
            }
        }
        ringCount[at] = 0;
        pushes++;
        double best = 0;
        topToken = -1;
        double window = Math.min(WINDOW, pushes);
        for (int i = 0; i < n; i++) {
            if (counts[i] > RARE_SHARE * events || ringCount[at] >= MAX_PER_EVENT) {
                continue;
            }
            ring[at][ringCount[at]++] = tokens[i];
            int[] c = recent.computeIfAbsent(tokens[i], k -> new int[1]);
            c[0]++;
            int k = c[0];
            double lambda = window * (counts[i] + 0.5) / (events + 1.0);
            if (k < 3 || k <= 2 * lambda) {
                continue;
            }
            double bits = -EntityModel.poissonUpperLog(k, lambda) / LN2;
            if (bits > best) {
                best = bits;
                topToken = i;
                topCount = k;
                topExpected = lambda;
            }
        }
        return best;
    }

    /**
     * Takes the last observed event's tokens out of the window: a flagged event belongs to its
     * incident, and its rare tokens must not make the ordinary events after it look like a burst.
     */
    void forgetLast() {
        if (pushes == 0) {
            return;
        }
        int at = (int) ((pushes - 1) % WINDOW);
        for (int i = 0; i < ringCount[at]; i++) {
            int[] c = recent.get(ring[at][i]);
            if (c != null && --c[0] == 0) {
                recent.remove(ring[at][i]);
            }
        }
        ringCount[at] = 0;
    }

    void write(StateOutput out) {
        out.i64(pushes);
        for (int i = 0; i < WINDOW; i++) {
            out.i32(ringCount[i]);
            for (int j = 0; j < ringCount[i]; j++) {
                out.i64(ring[i][j]);
            }
        }
    }

    void read(StateInput in) {
        pushes = in.i64();
        recent.clear();
        for (int i = 0; i < WINDOW; i++) {
            ringCount[i] = in.i32(0, MAX_PER_EVENT, "burst tokens");
            for (int j = 0; j < ringCount[i]; j++) {
                ring[i][j] = in.i64();
                recent.computeIfAbsent(ring[i][j], k -> new int[1])[0]++;
            }
        }
    }
}
