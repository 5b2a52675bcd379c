package dev.driftlock.cbad.window;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.driftlock.cbad.DriftReport;
import dev.driftlock.cbad.score.CompressionModel;
import dev.driftlock.cbad.score.TailCalibrator;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/**
 * Window drift test. Every {@code hop} events the last {@code window} events (all of them, flagged
 * or not) are compared with an equal-size, evenly spaced sample of the baseline: NCD
 * {@code (C(RW) - min(C(R), C(W))) / max(C(R), C(W))} with zstd level 1, plus the conditional ratio
 * {@code (C(RW) - C(R)) / C(W)}. The significance test ranks the NCD among the NCDs of past,
 * disjoint, non-drift windows (a conformal p-value over blocks with an exponential tail): no event
 * is reshuffled, so the order of time-stamped data is never destroyed, and it costs two or three
 * compressions of about 20 KB (well under a millisecond). The reference sample is re-drawn after
 * each dictionary rebuild.
 *
 * <p>Memory: the window ring (window x event size) and 200 past NCDs. Internal to the engine.
 */
public final class WindowTest implements AutoCloseable {

    /** Events per window. */
    public static final int WINDOW = 128;
    /** Events between two tests: windows are disjoint. */
    public static final int HOP = WINDOW;
    /** Past windows needed before the first test verdict. */
    public static final int MIN_HISTORY = 10;
    /** After this many consecutive drift windows the new regime is accepted. */
    public static final int ABSORB_AFTER = 4;

    private final byte[][] ring = new byte[WINDOW][];
    private int head;
    private int filled;
    private long sinceTest;
    private int consecutiveDrift;
    private final TailCalibrator history = new TailCalibrator(200, 0.0);
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private byte[] reference;
    private int referenceSize;
    private long referenceStamp = -1;

    /** Creates a test with an empty window. */
    public WindowTest() {
        ctx.setLevel(1);
        ctx.setChecksum(false);
        ctx.setContentSize(false);
        ctx.setMagicless(true);
    }

    /** @param analysed canonical bytes of the next event */
    public void push(byte[] analysed) {
        ring[head] = analysed;
        head = (head + 1) % WINDOW;
        if (filled < WINDOW) {
            filled++;
        }
        sinceTest++;
    }

    /** @return whether a test is due (a full window and a hop since the last test) */
    public boolean due() {
        return filled == WINDOW && sinceTest >= HOP;
    }

    /** Forces the reference sample to be re-drawn at the next test (benchmarks). */
    public void invalidateReference() {
        referenceStamp = -1;
    }

    /** @return consecutive drift windows so far */
    public int consecutiveDrift() {
        return consecutiveDrift;
    }

    private int size(byte[] data) {
        byte[] dst = new byte[(int) Zstd.compressBound(data.length)];
        return ctx.compressByteArray(dst, 0, dst.length, data, 0, data.length);
    }

    /**
     * Runs the test now.
     *
     * @param index    stream position of the newest event
     * @param baseline the baseline to sample
     * @param alpha    significance level of a drift
     * @return the report
     */
    public DriftReport test(long index, CompressionModel baseline, double alpha) {
        sinceTest = 0;
        java.io.ByteArrayOutputStream w = new java.io.ByteArrayOutputStream(WINDOW * 200);
        for (int i = 0; i < WINDOW; i++) {
            byte[] b = ring[(head + i) % WINDOW];
            w.write(b, 0, b.length);
        }
        byte[] win = w.toByteArray();
        // the reference sample is re-drawn when the dictionary was rebuilt or the window grew past it
        if (referenceStamp != baseline.rebuilds() || reference.length < win.length) {
            reference = baseline.sample(win.length, WINDOW);
            referenceSize = size(reference);
            referenceStamp = baseline.rebuilds();
        }
        byte[] ref = reference;
        byte[] both = new byte[ref.length + win.length];
        System.arraycopy(ref, 0, both, 0, ref.length);
        System.arraycopy(win, 0, both, ref.length, win.length);
        int cw = size(win);
        int cr = referenceSize;
        int crw = size(both);
        double ncd = (crw - (double) Math.min(cr, cw)) / Math.max(1, Math.max(cr, cw));
        double cond = (crw - (double) cr) / Math.max(1, cw);
        boolean ready = history.size() >= MIN_HISTORY;
        double p = ready ? history.pValue(ncd) : 1.0;
        boolean drift = ready && p <= alpha;
        String why;
        if (drift) {
            consecutiveDrift++;
            why = String.format(java.util.Locale.ROOT,
                    "The last %d events differ from the baseline as a whole: their compression distance to an "
                            + "equal-size baseline sample is %.3f, higher than in %d past windows (p = %.2g); "
                            + "%.0f%% of the window is not explained by the baseline.",
                    WINDOW, ncd, history.size(), p, 100 * Math.min(1.0, Math.max(0.0, cond)));
            if (consecutiveDrift >= ABSORB_AFTER) {
                history.add(ncd);
            }
        } else {
            consecutiveDrift = 0;
            history.add(ncd);
            why = ready ? String.format(java.util.Locale.ROOT,
                    "No drift: window NCD %.3f is within the range of past windows (p = %.2g).", ncd, p)
                    : "Window test calibrating: " + (MIN_HISTORY - history.size()) + " more windows needed.";
        }
        return new DriftReport(index, WINDOW, ncd, cond, p, drift, why);
    }

    /** @param out state sink */
    public void write(StateOutput out) {
        out.i32(filled);
        for (int i = 0; i < filled; i++) {
            int at = filled == WINDOW ? (head + i) % WINDOW : i;
            out.bytes(ring[at]);
        }
        out.i64(sinceTest);
        out.i32(consecutiveDrift);
        history.write(out);
        out.i64(referenceStamp);
        out.bytes(reference);
    }

    /** @param in state written by {@link #write}, on a fresh test */
    public void read(StateInput in) {
        int n = in.i32(0, WINDOW, "window fill");
        for (int i = 0; i < n; i++) {
            push(in.bytes());
        }
        sinceTest = in.i64();
        consecutiveDrift = in.i32(0, Integer.MAX_VALUE, "drift counter");
        history.read(in);
        referenceStamp = in.i64();
        reference = in.bytes();
        if (reference != null) {
            referenceSize = size(reference);
        }
    }

    @Override
    public void close() {
        ctx.close();
    }
}
