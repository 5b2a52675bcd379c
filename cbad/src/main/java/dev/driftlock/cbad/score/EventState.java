package dev.driftlock.cbad.score;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/** The snapshot form of a canonical event kept in the engine's state. Internal. */
final class EventState {

    private EventState() {
    }

    static void write(StateOutput out, CanonicalEvent e) {
        out.bytes(e.analysed());
        out.bytes(e.full() == e.analysed() ? null : e.full());
        out.i32(e.numCount());
        for (int i = 0; i < e.numCount(); i++) {
            out.str(e.numKeys()[i]);
            out.f64(e.numValues()[i]);
        }
    }

    static CanonicalEvent read(StateInput in) {
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
