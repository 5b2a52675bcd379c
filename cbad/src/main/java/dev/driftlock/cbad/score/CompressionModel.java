package dev.driftlock.cbad.score;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictContentType;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.canonical.Canonicalizer;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline of recent normal events and the zstd dictionary built from it. The cost of an event
 * is its compressed size (magicless frame, no checksum) with the baseline as a raw-content
 * dictionary: the bytes it takes to describe the event given what the stream recently looked like
 * (conditional compression). The dictionary is rebuilt from the baseline every
 * {@link #rebuildInterval()} accepted events (a few hundred microseconds).
 *
 * <p>For JSON events it also learns volatile fields ({@link FieldNovelty}) from the share of values
 * new to the dictionary, and masks them.
 *
 * <p>Memory: the baseline (at most {@code maxEvents} events and {@link #MAX_BASELINE_BYTES} bytes of
 * canonical form, plus 8 bytes per field per event of line hashes), the dictionary copy and zstd's
 * native tables (about 1.5 MB at most). Not thread-safe. Internal to the engine.
 */
public final class CompressionModel implements AutoCloseable {

    /** Cap of the baseline (and dictionary) size in bytes. */
    public static final int MAX_BASELINE_BYTES = 512 * 1024;
    /** zstd level of the dictionary and the per-event compression. */
    static final int LEVEL = 1;
    private static final byte[] VAR = "<var>".getBytes(StandardCharsets.US_ASCII);
    private static final long[] NO_HASHES = new long[0];

    /** One baseline event. */
    private static final class Entry {
        final byte[] full;
        byte[] analysed;
        long[] hashes;
        byte[] masked;
        int epoch = -1;

        Entry(byte[] full, byte[] analysed, long[] hashes) {
            this.full = full;
            this.analysed = analysed;
            this.hashes = hashes;
        }
    }

    private final int maxEvents;
    private final boolean learnFields;
    private final ArrayDeque<Entry> baseline = new ArrayDeque<>();
    /** Entries evicted since the last rebuild (they are still in the dictionary). */
    private final ArrayDeque<Entry> evicted = new ArrayDeque<>();
    private long baselineBytes;
    private int sinceRebuild;
    private int epoch;
    private byte[] dict;
    private ZstdDictCompress cdict;
    private final ZstdCompressCtx ctx;
    private byte[] dst = new byte[1024];
    private FieldFilter filter;
    private String dictText;
    private final FieldNovelty novelty = new FieldNovelty();
    private final LineSet lines = new LineSet();
    private int lastNovelLines;
    private byte[] lastAnalysed;
    private long[] lastHashes;
    private byte[] lastMasked;

    /**
     * @param maxEvents   baseline capacity in events
     * @param filter      field filter (events are stored with all fields)
     * @param learnFields whether events are {@code key=value} lines (JSON) whose high-cardinality
     *                    fields are learned and masked ({@link FieldNovelty})
     */
    public CompressionModel(int maxEvents, FieldFilter filter, boolean learnFields) {
        this.maxEvents = maxEvents;
        this.filter = filter;
        this.learnFields = learnFields;
        this.ctx = new ZstdCompressCtx();
        ctx.setLevel(LEVEL);
        ctx.setChecksum(false);
        ctx.setContentSize(false);
        ctx.setDictID(false);
        ctx.setMagicless(true);
    }

    /** @return events in the baseline */
    public int size() {
        return baseline.size();
    }

    /** @return bytes in the baseline */
    public long bytes() {
        return baselineBytes;
    }

    /** @return lines of the last prepared event absent from the dictionary, volatile fields excepted */
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
        return n < maxEvents ? Math.max(8, n / 8) : 250;
    }

    private static long[] lineHashes(byte[] b) {
        int count = 0;
        for (byte x : b) {
            if (x == '\n') {
                count++;
            }
        }
        long[] h = new long[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                h[k++] = LineSet.hash(b, start, i);
                start = i + 1;
            }
        }
        return h;
    }

    /**
     * Observes which field values are new to the dictionary (learning volatile fields) and returns
     * the bytes to compress: the analysed bytes with the values of volatile fields replaced by
     * {@code <var>}. If a field's status changes the dictionary is rebuilt at once.
     *
     * @param analysed canonical bytes of an event (field filter applied)
     * @return the bytes to pass to {@link #cost(byte[])}
     */
    public byte[] prepare(byte[] analysed) {
        lastNovelLines = 0;
        lastAnalysed = analysed;
        lastHashes = null;
        lastMasked = analysed;
        if (!learnFields || dict == null) {
            return analysed;
        }
        long[] hashes = lineHashes(analysed);
        boolean changed = false;
        int novel = 0;
        int start = 0;
        int k = 0;
        for (int i = 0; i < analysed.length; i++) {
            if (analysed[i] == '\n') {
                int eq = start;
                while (eq < i && analysed[eq] != '=') {
                    eq++;
                }
                if (eq > start && eq < i) {
                    long key = LineSet.hash(analysed, start, eq);
                    boolean isNovel = !lines.contains(hashes[k]);
                    changed |= novelty.observe(key, isNovel);
                    if (isNovel && !novelty.isVolatile(key)) {
                        novel++;
                    }
                }
                k++;
                start = i + 1;
            }
        }
        lastHashes = hashes;
        if (changed) {
            epoch++;
            rebuild();
        }
        lastNovelLines = novel;
        lastMasked = novelty.any() ? mask(analysed) : analysed;
        return lastMasked;
    }

    /** Replaces values of volatile fields by {@code <var>}. */
    private byte[] mask(byte[] b) {
        ByteArrayOutputStream out = null;
        int start = 0;
        int n = b.length;
        int copied = 0;
        while (start < n) {
            int nl = start;
            int eq = -1;
            while (nl < n && b[nl] != '\n') {
                if (eq < 0 && b[nl] == '=') {
                    eq = nl;
                }
                nl++;
            }
            if (eq > start && novelty.isVolatile(LineSet.hash(b, start, eq))) {
                if (out == null) {
                    out = new ByteArrayOutputStream(n);
                }
                out.write(b, copied, eq + 1 - copied);
                out.write(VAR, 0, VAR.length);
                copied = nl;
            }
            start = nl + 1;
        }
        if (out == null) {
            return b;
        }
        out.write(b, copied, n - copied);
        return out.toByteArray();
    }

    /**
     * @param prepared bytes returned by {@link #prepare(byte[])}
     * @return compressed size in bytes given the current dictionary
     */
    public int cost(byte[] prepared) {
        int bound = (int) Zstd.compressBound(prepared.length);
        if (dst.length < bound) {
            dst = new byte[bound];
        }
        return ctx.compressByteArray(dst, 0, dst.length, prepared, 0, prepared.length);
    }

    /**
     * A normal event enters the baseline.
     *
     * @param full     canonical bytes with all fields
     * @param analysed canonical bytes with the field filter applied
     */
    public void accept(byte[] full, byte[] analysed) {
        Entry e;
        if (analysed == lastAnalysed && lastHashes != null) {
            e = new Entry(full, analysed, lastHashes);
            if (lastMasked != analysed) {
                e.masked = lastMasked;
                e.epoch = epoch;
            }
        } else {
            e = new Entry(full, analysed, learnFields ? lineHashes(analysed) : NO_HASHES);
        }
        baseline.addLast(e);
        baselineBytes += e.full.length;
        while (baseline.size() > maxEvents || baselineBytes > MAX_BASELINE_BYTES) {
            Entry old = baseline.removeFirst();
            baselineBytes -= old.full.length;
            evicted.addLast(old);
        }
        if (++sinceRebuild >= rebuildInterval()) {
            rebuild();
        }
    }

    /** @param newFilter field filter for future dictionaries; re-filters the baseline and rebuilds */
    public void setFilter(FieldFilter newFilter) {
        this.filter = newFilter;
        epoch++;
        for (Entry e : baseline) {
            e.analysed = Canonicalizer.refilter(e.full, newFilter);
            e.hashes = learnFields ? lineHashes(e.analysed) : NO_HASHES;
        }
        rebuild();
    }

    /** Rebuilds the dictionary from the current baseline (oldest first, newest closest to the data). */
    public void rebuild() {
        sinceRebuild = 0;
        evicted.clear();
        build(new ArrayList<>(baseline));
    }

    private void build(List<Entry> entries) {
        int total = 0;
        int hashCount = 0;
        for (Entry e : entries) {
            if (e.epoch != epoch) {
                e.masked = novelty.any() ? mask(e.analysed) : e.analysed;
                e.epoch = epoch;
            }
            total += e.masked.length;
            hashCount += e.hashes.length;
        }
        byte[] d = new byte[total];
        int at = 0;
        if (learnFields) {
            lines.clear(hashCount);
        }
        for (Entry e : entries) {
            System.arraycopy(e.masked, 0, d, at, e.masked.length);
            at += e.masked.length;
            for (long h : e.hashes) {
                lines.add(h);
            }
        }
        install(d, entries);
    }

    private List<Entry> dictEntries;
    private long rebuilds;

    /** @return how many times the dictionary was built (changes whenever the dictionary changes) */
    public long rebuilds() {
        return rebuilds;
    }

    private void install(byte[] d, List<Entry> entries) {
        rebuilds++;
        dictEntries = entries;
        dictText = null;
        byte[] content = d;
        if (content.length < 8) {
            content = java.util.Arrays.copyOf(d, 8);
            java.util.Arrays.fill(content, d.length, 8, (byte) '\n');
        }
        ZstdDictCompress old = cdict;
        dict = d;
        cdict = new ZstdDictCompress(content, LEVEL, ZstdDictContentType.RAW_CONTENT);
        ctx.loadDict(cdict);
        if (old != null) {
            old.close();
        }
    }

    /**
     * @param token a canonical token (e.g. {@code path=/login}) in unmasked form
     * @return whether the token occurs in the events of the current dictionary
     */
    public boolean dictionaryContains(String token) {
        if (dictEntries == null) {
            return false;
        }
        if (dictText == null) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream(dict.length + 1);
            raw.write('\n');
            for (Entry e : dictEntries) {
                raw.write(e.analysed, 0, e.analysed.length);
            }
            dictText = raw.toString(StandardCharsets.ISO_8859_1);
        }
        String needle = new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return dictText.contains(needle);
    }

    /**
     * Evenly spaced sample of the baseline of at least {@code minBytes} bytes (analysed form), for
     * the equal-size window test.
     *
     * @param minBytes        bytes wanted
     * @param maxEventsWanted most events to take (twice this at most)
     * @return concatenated canonical bytes
     */
    public byte[] sample(int minBytes, int maxEventsWanted) {
        int n = baseline.size();
        if (n == 0) {
            return new byte[0];
        }
        Entry[] all = baseline.toArray(new Entry[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream(minBytes + 256);
        int taken = 0;
        int stride = Math.max(1, n / Math.max(1, maxEventsWanted));
        for (int offset = 0; offset < stride && out.size() < minBytes; offset++) {
            for (int i = n - 1 - offset; i >= 0 && out.size() < minBytes && taken < maxEventsWanted * 2; i -= stride) {
                out.write(all[i].analysed, 0, all[i].analysed.length);
                taken++;
            }
        }
        return out.toByteArray();
    }

    private static void writeEntry(StateOutput out, Entry e) {
        out.bytes(e.full);
        out.bytes(e.analysed == e.full ? null : e.analysed);
    }

    private Entry readEntry(StateInput in) {
        byte[] full = in.bytes();
        byte[] analysed = in.bytes();
        if (full == null) {
            throw new CbadException.SnapshotException("corrupt snapshot: null baseline event", null);
        }
        byte[] a = analysed == null ? full : analysed;
        return new Entry(full, a, learnFields ? lineHashes(a) : NO_HASHES);
    }

    /**
     * Writes the baseline, the entries evicted since the last rebuild (so the dictionary can be
     * rebuilt exactly), the rebuild counter and the learned field statistics.
     *
     * @param out state sink
     */
    public void write(StateOutput out) {
        out.i32(baseline.size());
        for (Entry e : baseline) {
            writeEntry(out, e);
        }
        out.i32(evicted.size());
        for (Entry e : evicted) {
            writeEntry(out, e);
        }
        out.i32(sinceRebuild);
        out.i64(rebuilds);
        out.bool(dict != null);
        novelty.write(out);
    }

    /** @param in state written by {@link #write}; only on a fresh model */
    public void read(StateInput in) {
        int n = in.i32(0, maxEvents, "baseline size");
        for (int i = 0; i < n; i++) {
            Entry e = readEntry(in);
            baseline.addLast(e);
            baselineBytes += e.full.length;
        }
        int ev = in.i32(0, Integer.MAX_VALUE, "evicted count");
        for (int i = 0; i < ev; i++) {
            evicted.addLast(readEntry(in));
        }
        sinceRebuild = in.i32(0, n, "rebuild counter");
        long builds = in.i64();
        boolean hasDict = in.bool();
        novelty.read(in);
        if (hasDict) {
            List<Entry> atRebuild = new ArrayList<>(evicted);
            int i = 0;
            for (Entry e : baseline) {
                if (i++ < n - sinceRebuild) {
                    atRebuild.add(e);
                }
            }
            build(atRebuild);
        }
        rebuilds = builds;
    }

    @Override
    public void close() {
        ctx.close();
        if (cdict != null) {
            cdict.close();
        }
    }
}
