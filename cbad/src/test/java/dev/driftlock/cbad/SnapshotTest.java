package dev.driftlock.cbad;

import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Property: snapshot at any point + restore continues exactly as the uninterrupted detector. */
class SnapshotTest {

    private static List<Verdict> run(DetectorConfig cfg, List<String> events, int[] cuts) {
        List<Verdict> out = new ArrayList<>();
        Detector d = Detector.create(cfg);
        int next = 0;
        for (int i = 0; i < events.size(); i++) {
            if (next < cuts.length && cuts[next] == i) {
                byte[] snap = d.snapshot();
                d.close();
                d = Detector.restore(snap);
                next++;
            }
            out.add(d.score(events.get(i)));
        }
        d.close();
        return out;
    }

    private static void assertContinuesExactly(DetectorConfig cfg, List<String> events, long seed) {
        List<Verdict> straight = run(cfg, events, new int[0]);
        Random r = new Random(seed);
        for (int trial = 0; trial < 3; trial++) {
            int[] cuts = r.ints(3, 1, events.size()).sorted().distinct().toArray();
            assertEquals(straight, run(cfg, events, cuts), "cuts " + Arrays.toString(cuts));
        }
    }

    @Test
    void jsonStreamContinuesExactlyAfterRestore() {
        List<String> events = Streams.apiLogs(11, 1400, List.of("endpoint_scan")).events();
        assertContinuesExactly(DetectorConfig.defaults(InputKind.JSON), events, 1);
    }

    @Test
    void numericStreamContinuesExactlyAfterRestore() {
        List<String> events = Streams.metric(12, 900, List.of("spike", "level_shift")).events();
        assertContinuesExactly(DetectorConfig.defaults(InputKind.NUMERIC), events, 2);
    }

    @Test
    void snapshotsAreDeterministicAndCompact() {
        List<String> events = Streams.apiLogs(13, 1200, List.of()).events();
        byte[] a;
        byte[] b;
        try (Detector d1 = Detector.create(DetectorConfig.defaults(InputKind.JSON));
             Detector d2 = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String e : events) {
                d1.score(e);
                d2.score(e);
            }
            a = d1.snapshot();
            b = d2.snapshot();
        }
        assertArrayEquals(a, b);
        assertEquals(0x43424144, java.nio.ByteBuffer.wrap(a).getInt());
        assertEquals(3, java.nio.ByteBuffer.wrap(a).getInt(4));
        assertTrue(a.length < 120_000, "snapshot bytes " + a.length);
    }

    @Test
    void corruptSnapshotsAreRejected() {
        byte[] snap;
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String e : Streams.apiLogs(14, 300, List.of()).events()) {
                d.score(e);
            }
            snap = d.snapshot();
        }
        assertThrows(CbadException.SnapshotException.class, () -> Detector.restore(null));
        assertThrows(CbadException.SnapshotException.class, () -> Detector.restore(new byte[5]));
        byte[] badVersion = snap.clone();
        badVersion[7] = 9;
        CbadException e = assertThrows(CbadException.SnapshotException.class, () -> Detector.restore(badVersion));
        assertEquals("unsupported snapshot version 9 (this engine reads version 3)", e.getMessage());
        byte[] flipped = snap.clone();
        flipped[flipped.length - 3] ^= 0x55;
        assertThrows(CbadException.SnapshotException.class, () -> Detector.restore(flipped));
        byte[] truncated = Arrays.copyOf(snap, snap.length / 2);
        assertThrows(CbadException.SnapshotException.class, () -> Detector.restore(truncated));
    }
}
