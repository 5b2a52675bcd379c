package dev.driftlock.cbad.score;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an event stream remembers of its alarms: the flagged events kept out of the models (no
 * poisoning), the recent flags per cause, and the causes that are known to be normal.
 *
 * <ul>
 *   <li>A cause flagged {@value #ABSORB_CAUSE} times within {@value #FLAG_WINDOW} events is a
 *       recurring pattern: its incident is reported, so its quarantined events are learned and the
 *       same shape stops alarming, while events of other causes stay quarantined.</li>
 *   <li>A cause marked normal by feedback ({@link #markNormal}) never alarms again (at most
 *       {@value #MAX_ACKNOWLEDGED} such causes, the oldest forgotten first).</li>
 *   <li>If {@value #ABSORB_FLAGS} of the last {@value #FLAG_WINDOW} events were flagged, the change
 *       is the new normal: the whole quarantine is learned.</li>
 * </ul>
 * Not thread-safe. Internal to the engine.
 */
final class Quarantine {

    static final int CAPACITY = 256;
    static final int FLAG_WINDOW = 128;
    static final int ABSORB_FLAGS = 96;
    /** Flags of one cause within {@value #FLAG_WINDOW} events after which its events are learned. */
    static final int ABSORB_CAUSE = 8;
    /** Causes marked normal by feedback that are remembered. */
    static final int MAX_ACKNOWLEDGED = 256;

    /** A flagged event kept out of the models until its change is taken as the new normal. */
    record Held(CanonicalEvent event, String template, String cause, long index) {
    }

    /** A recent alarm and its cause. */
    private record Flag(String cause, long index) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final ArrayDeque<Flag> recentFlags = new ArrayDeque<>();
    private final LinkedHashSet<String> acknowledged = new LinkedHashSet<>();
    private final boolean[] flags = new boolean[FLAG_WINDOW];
    private int flagCount;

    /**
     * @return whether a flag of this cause is no new alarm: it was marked normal, or it already
     *         alarmed {@value #ABSORB_CAUSE} times within the window (then the flag is not counted)
     */
    boolean known(String cause, long idx) {
        if (acknowledged.contains(cause) || flagsOf(cause, idx) >= ABSORB_CAUSE) {
            return true;
        }
        recentFlags.addLast(new Flag(cause, idx));
        return false;
    }

    /** Records whether the event at the current position was flagged (the ring of the last events). */
    void record(long idx, boolean flagged) {
        int at = (int) (idx % FLAG_WINDOW);
        if (flags[at]) {
            flagCount--;
        }
        flags[at] = flagged;
        if (flagged) {
            flagCount++;
        }
    }

    /** Keeps a flagged event out of the models (the oldest one is dropped when full). */
    void hold(Held event) {
        if (held.size() >= CAPACITY) {
            held.removeFirst();
        }
        held.addLast(event);
    }

    /** @return the held events of a cause once it recurred {@value #ABSORB_CAUSE} times (removed), else none */
    List<Held> releaseRepeated(String cause, long idx) {
        return flagsOf(cause, idx) < ABSORB_CAUSE ? List.of() : release(cause);
    }

    /**
     * Feedback: the cause is normal from now on.
     *
     * @return its held events (removed), to be learned
     */
    List<Held> markNormal(String cause) {
        acknowledged.remove(cause);
        acknowledged.add(cause);
        if (acknowledged.size() > MAX_ACKNOWLEDGED) {
            Iterator<String> oldest = acknowledged.iterator();
            oldest.next();
            oldest.remove();
        }
        return release(cause);
    }

    /** @return whether feedback marked the cause normal */
    boolean acknowledged(String cause) {
        return acknowledged.contains(cause);
    }

    /** @return whether the recent flags say the stream changed for good */
    boolean changedForGood() {
        return flagCount >= ABSORB_FLAGS;
    }

    /** @return every held event (removed), the flag ring cleared: the change is the new normal */
    List<Held> releaseAll() {
        List<Held> all = new ArrayList<>(held);
        held.clear();
        java.util.Arrays.fill(flags, false);
        flagCount = 0;
        return all;
    }

    private List<Held> release(String cause) {
        List<Held> out = new ArrayList<>();
        Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            Held q = it.next();
            if (q.cause().equals(cause)) {
                out.add(q);
                it.remove();
            }
        }
        return out;
    }

    /** @return flags of a cause among the last {@value #FLAG_WINDOW} events (forgetting older ones) */
    private int flagsOf(String cause, long idx) {
        while (!recentFlags.isEmpty() && idx - recentFlags.peekFirst().index() >= FLAG_WINDOW) {
            recentFlags.removeFirst();
        }
        int same = 0;
        for (Flag f : recentFlags) {
            if (f.cause().equals(cause)) {
                same++;
            }
        }
        return same;
    }

    void write(StateOutput out) {
        out.i32(held.size());
        for (Held q : held) {
            writeEvent(out, q.event());
            out.str(q.template());
            out.str(q.cause());
            out.i64(q.index());
        }
        out.i32(recentFlags.size());
        for (Flag f : recentFlags) {
            out.str(f.cause());
            out.i64(f.index());
        }
        out.i32(acknowledged.size());
        for (String c : acknowledged) {
            out.str(c);
        }
        out.i32(flagCount);
        for (boolean f : flags) {
            out.bool(f);
        }
    }

    void read(StateInput in) {
        held.clear();
        int q = in.i32(0, CAPACITY, "quarantine size");
        for (int i = 0; i < q; i++) {
            held.addLast(new Held(readEvent(in), in.str(), in.str(), in.i64()));
        }
        recentFlags.clear();
        int nf = in.i32(0, FLAG_WINDOW, "recent flags");
        for (int i = 0; i < nf; i++) {
            recentFlags.addLast(new Flag(in.str(), in.i64()));
        }
        acknowledged.clear();
        int na = in.i32(0, MAX_ACKNOWLEDGED, "acknowledged causes");
        for (int i = 0; i < na; i++) {
            acknowledged.add(in.str());
        }
        flagCount = in.i32(0, FLAG_WINDOW, "flag count");
        for (int i = 0; i < FLAG_WINDOW; i++) {
            flags[i] = in.bool();
        }
    }

    /** The snapshot form of a held event. */
    private static void writeEvent(StateOutput out, CanonicalEvent e) {
        out.bytes(e.analysed());
        out.bytes(e.full() == e.analysed() ? null : e.full());
        out.i32(e.numCount());
        for (int i = 0; i < e.numCount(); i++) {
            out.str(e.numKeys()[i]);
            out.f64(e.numValues()[i]);
        }
    }

    private static CanonicalEvent readEvent(StateInput in) {
        byte[] a = in.bytes();
        byte[] f = in.bytes();
        int n = in.i32(0, Canonicalizer.MAX_NUMERIC, "numeric count");
        String[] k = new String[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = in.str();
            v[i] = in.f64();
        }
        if (a == null) {
            throw new CbadException.SnapshotException("corrupt snapshot: null event", null);
        }
        return new CanonicalEvent(a, f == null ? a : f, k, v, n);
    }
}
