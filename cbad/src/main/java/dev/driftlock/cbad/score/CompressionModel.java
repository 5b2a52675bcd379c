package dev.driftlock.cbad.score;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictContentType;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The baseline of recent normal events and the zstd dictionary built from it. The cost of an event
 * is its compressed size (magicless frame, no checksum) with the baseline as a raw-content
 * dictionary: the bytes it takes to describe the event given what the stream recently looked like
 * (conditional compression). The dictionary is rebuilt from the baseline every
 * {@link #rebuildInterval()} accepted events (a few hundred microseconds).
 *
 * <p>Memory: the baseline (at most {@code maxEvents} events and {@link #MAX_BASELINE_BYTES} bytes),
 * the dictionary copy and zstd's native tables (about 1.5 MB at most). Not thread-safe.
 * Internal to the engine.
 */
public final class CompressionModel implements AutoCloseable {

    /** Cap of the baseline (and dictionary) size in bytes. */
    public static final int MAX_BASELINE_BYTES = 512 * 1024;
    /** zstd level of the dictionary and the per-event compression. */
    static final int LEVEL = 3;

    private final int maxEvents;
    private final ArrayDeque<byte[]> baseline = new ArrayDeque<>();
    private long baselineBytes;
    private int sinceRebuild;
    private byte[] dict;
    private ZstdDictCompress cdict;
    private final ZstdCompressCtx ctx;
    private byte[] dst = new byte[1024];
    private FieldFilter filter;
    private String dictText;
    private byte[] rawDict;
    private final boolean learnFields;
    private final FieldNovelty novelty = new FieldNovelty();
    private final LineSet lines = new LineSet();
    private int lastNovelLines;
    private static final byte[] VAR = "<var>".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param maxEvents   baseline capacity in events
     * @param filter      field filter applied to stored events when the dictionary is built
     * @param learnFields whether events are {@code key=value} lines (JSON) whose high-cardinality
     *                    fields are learned and masked ({@link FieldNovelty})
     */
    public CompressionModel(int maxEvents, FieldFilter filter, boolean learnFields) {
        this.maxEvents = maxEvents;
        this.filter = filter;
        this.learnFields = learnFields;
        this.ctx = new ZstdCompressCtx();
        configure(ctx);
    }

    private static void configure(ZstdCompressCtx c) {
        c.setLevel(LEVEL);
        c.setChecksum(false);
        c.setContentSize(false);
        c.setDictID(false);
        c.setMagicless(true);
    }

    /** @return events in the baseline */
    public int size() {
        return baseline.size();
    }

    /** @return bytes in the baseline */
    public long bytes() {
        return baselineBytes;
    }

    /** @return lines ({@code key=value}) of the last prepared event absent from the baseline, volatile fields excepted */
    public int lastNovelLines() {
        return lastNovelLines;
    }

    /** @return whether at least one field was learned to be volatile */
    public boolean hasVolatileFields() {
        return novelty.any();
    }

    /** @return the dictionary size in bytes */
    public int dictBytes() {
        return dict == null ? 0 : dict.length;
    }

    /** @return events accepted before the next dictionary rebuild */
    int rebuildInterval() {
        int n = baseline.size();
        return n < maxEvents ? Math.max(8, n / 8) : 100;
    }

    /**
     * Observes which field values are new to the baseline (learning volatile fields) and returns the
     * bytes to compress: the analysed bytes with the values of volatile fields replaced by
     * {@code <var>}. If a field's status changes the dictionary is rebuilt at once.
     *
     * @param analysed canonical bytes of an event (field filter applied)
     * @return the bytes to pass to {@link #cost(byte[])}
     */
    public byte[] prepare(byte[] analysed) {
        lastNovelLines = 0;
        if (!learnFields || rawDict == null) {
            return analysed;
        }
        boolean changed = false;
        int novelLines = 0;
        int start = 0;
        int n = analysed.length;
        while (start < n) {
            int nl = start;
            int eq = -1;
            while (nl < n && analysed[nl] != '\n') {
                if (eq < 0 && analysed[nl] == '=') {
                    eq = nl;
                }
                nl++;
            }
            if (eq > start) {
                long key = LineSet.hash(analysed, start, eq);
                boolean isNovel = !lines.contains(LineSet.hash(analysed, start, nl));
                changed |= novelty.observe(key, isNovel);
                if (isNovel && !novelty.isVolatile(key)) {
                    novelLines++;
                }
            }
            start = nl + 1;
        }
        if (changed) {
            rebuild();
        }
        lastNovelLines = novelLines;
        return novelty.any() ? mask(analysed) : analysed;
    }

    /** Replaces values of volatile fields by {@code <var>}. */
    private byte[] mask(byte[] b) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
        int start = 0;
        int n = b.length;
        while (start < n) {
            int nl = start;
            int eq = -1;
            while (nl < n && b[nl] != '\n') {
                if (eq < 0 && b[nl] == '=') {
                    eq = nl;
                }
                nl++;
            }
            int end = Math.min(n, nl + 1);
            if (eq > start && novelty.isVolatile(LineSet.hash(b, start, eq))) {
                out.write(b, start, eq + 1 - start);
                out.write(VAR, 0, VAR.length);
                if (nl < n) {
                    out.write('\n');
                }
            } else {
                out.write(b, start, end - start);
            }
            start = nl + 1;
        }
        return out.toByteArray();
    }

    /**
     * @param analysed bytes returned by {@link #prepare(byte[])}
     * @return compressed size in bytes given the current dictionary
     */
    public int cost(byte[] analysed) {
        int bound = (int) Zstd.compressBound(analysed.length);
        if (dst.length < bound) {
            dst = new byte[bound];
        }
        return ctx.compressByteArray(dst, 0, dst.length, analysed, 0, analysed.length);
    }

    /** @param full canonical bytes (all fields) of a normal event: enters the baseline */
    public void accept(byte[] full) {
        baseline.addLast(full);
        baselineBytes += full.length;
        while (baseline.size() > maxEvents || baselineBytes > MAX_BASELINE_BYTES) {
            baselineBytes -= baseline.removeFirst().length;
        }
        if (++sinceRebuild >= rebuildInterval()) {
            rebuild();
        }
    }

    /** @param newFilter field filter for future dictionaries; rebuilds at once */
    public void setFilter(FieldFilter newFilter) {
        this.filter = newFilter;
        rebuild();
    }

    /** Rebuilds the dictionary from the current baseline (oldest first, newest closest to the data). */
    public void rebuild() {
        sinceRebuild = 0;
        int total = 0;
        byte[][] parts = new byte[baseline.size()][];
        int i = 0;
        for (byte[] b : baseline) {
            byte[] a = Canonicalizer.refilter(b, filter);
            parts[i++] = a;
            total += a.length;
        }
        byte[] d = new byte[total];
        int at = 0;
        for (byte[] a : parts) {
            System.arraycopy(a, 0, d, at, a.length);
            at += a.length;
        }
        install(d);
    }

    private void indexLines(byte[] raw) {
        lines.clear(raw.length / 12);
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                lines.add(LineSet.hash(raw, start, i));
                start = i + 1;
            }
        }
    }

    private void install(byte[] raw) {
        rawDict = raw;
        dictText = null;
        byte[] d = raw;
        if (learnFields) {
            indexLines(raw);
            if (novelty.any()) {
                d = mask(raw);
            }
        }
        ZstdDictCompress old = cdict;
        dict = d;
        byte[] content = d;
        if (content.length < 8) {
            content = java.util.Arrays.copyOf(d, 8);
            java.util.Arrays.fill(content, d.length, 8, (byte) '\n');
        }
        cdict = new ZstdDictCompress(content, LEVEL, ZstdDictContentType.RAW_CONTENT);
        ctx.loadDict(cdict);
        if (old != null) {
            old.close();
        }
    }

    /**
     * @param token a canonical token (e.g. {@code path=/login})
     * @return whether the token occurs in the current dictionary
     */
    public boolean dictionaryContains(String token) {
        if (rawDict == null) {
            return false;
        }
        if (dictText == null) {
            dictText = new String(rawDict, StandardCharsets.ISO_8859_1);
        }
        String needle = new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return dictText.contains(needle);
    }

    /**
     * Evenly spaced sample of the baseline of at least {@code minBytes} bytes (analysed form), for
     * the equal-size window test.
     *
     * @param minBytes bytes wanted
     * @param maxEventsWanted most events to take
     * @return concatenated canonical bytes
     */
    public byte[] sample(int minBytes, int maxEventsWanted) {
        int n = baseline.size();
        if (n == 0) {
            return new byte[0];
        }
        byte[][] all = baseline.toArray(new byte[0][]);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(minBytes + 256);
        int taken = 0;
        // stride through the baseline; several passes with offsets if needed
        int stride = Math.max(1, n / Math.max(1, maxEventsWanted));
        for (int offset = 0; offset < stride && out.size() < minBytes; offset++) {
            for (int i = n - 1 - offset; i >= 0 && out.size() < minBytes && taken < maxEventsWanted * 2; i -= stride) {
                byte[] a = Canonicalizer.refilter(all[i], filter);
                out.write(a, 0, a.length);
                taken++;
            }
        }
        return out.toByteArray();
    }

    /** @param out state sink */
    public void write(StateOutput out) {
        out.i32(baseline.size());
        for (byte[] b : baseline) {
            out.bytes(b);
        }
        out.i32(sinceRebuild);
        novelty.write(out);
        out.bytes(rawDict);
    }

    /** @param in state written by {@link #write}; only on a fresh model */
    public void read(StateInput in) {
        baseline.clear();
        baselineBytes = 0;
        int n = in.i32(0, maxEvents, "baseline size");
        for (int i = 0; i < n; i++) {
            byte[] b = in.bytes();
            if (b == null) {
                throw new dev.driftlock.cbad.CbadException.SnapshotException("corrupt snapshot: null baseline event", null);
            }
            baseline.addLast(b);
            baselineBytes += b.length;
        }
        sinceRebuild = in.i32(0, Integer.MAX_VALUE, "rebuild counter");
        novelty.read(in);
        byte[] d = in.bytes();
        if (d != null) {
            install(d);
        }
    }

    /** @return iterator over baseline events, oldest first (analysis helpers) */
    Iterator<byte[]> iterator() {
        return baseline.iterator();
    }

    @Override
    public void close() {
        ctx.close();
        if (cdict != null) {
            cdict.close();
        }
    }
}
