package dev.driftlock.cbad;

import dev.driftlock.cbad.quality.LabelledStream;
import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Property: a detector snapshotted and restored at any point files exactly the incidents of one
 * that never stopped (the same ids, causes, counts and strongest events).
 */
class IncidentDeterminismTest {

    private static List<Incident> incidents(DetectorConfig cfg, List<String> events, int restartAt) {
        List<Incident> out = new ArrayList<>();
        Detector d = Detector.create(cfg);
        try {
            for (int i = 0; i < events.size(); i++) {
                if (i == restartAt) {
                    byte[] snap = d.snapshot();
                    d.close();
                    d = Detector.restore(snap);
                }
                if (d.score(events.get(i)) instanceof Verdict.Scored s && s.incident() != null) {
                    out.add(s.incident());
                }
            }
        } finally {
            d.close();
        }
        return out;
    }

    @Test
    void incidentsAreIdenticalAfterRestoreAtAnyPoint() {
        LabelledStream s = Streams.transactions(504, 3200, List.of(Streams.TXN_INCIDENTS));
        DetectorConfig cfg = DetectorConfig.defaults(InputKind.JSON);
        List<Incident> reference = incidents(cfg, s.events(), -1);
        assertFalse(reference.isEmpty());
        // every 97th position, the warm-up edge and both sides of the first incident's events
        List<Integer> points = new ArrayList<>(List.of(1, 255, 256, 257, 511, 512, 513));
        for (int p = 0; p < s.events().size(); p += 97) {
            points.add(p);
        }
        long firstFlag = reference.get(0).firstSeen();
        for (long p = firstFlag - 2; p <= firstFlag + 3; p++) {
            points.add((int) p);
        }
        for (int p : points) {
            assertEquals(reference, incidents(cfg, s.events(), p), "restart at " + p);
        }
    }
}
