package dev.driftlock.cbad;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feedback: an incident marked normal teaches the stream that its kind of event is normal. */
class FeedbackTest {

    /** Card 7 always paid in FR; from event 2,600 it pays in GB (16 flags without feedback). */
    private static List<String> cardChangesCountry() {
        SplittableRandom r = new SplittableRandom(12);
        String[] countries = {"US", "DE", "FR", "GB", "CA"};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int card = r.nextInt(40);
            String country = card == 7 && i >= 2600 ? "GB" : countries[card % 5];
            events.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"card\":\"card-%d\",\"country\":\"%s\",\"amount\":%.2f}",
                    java.time.Instant.ofEpochSecond(1_763_700_000L + i), card, country, 5 + 80 * r.nextDouble()));
        }
        return events;
    }

    /** @return indexes of the flagged events; marks the first incident normal when asked */
    private static List<Long> flagged(boolean feedback, boolean restoreAfterFeedback) {
        List<Long> out = new ArrayList<>();
        Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON));
        try {
            for (String e : cardChangesCountry()) {
                if (d.score(e) instanceof Verdict.Scored s && s.anomaly()) {
                    out.add(s.index());
                    if (feedback && out.size() == 1) {
                        assertTrue(d.markNormal(s.incident().cause()));
                        assertFalse(d.markNormal(s.incident().cause()), "nothing more to learn the second time");
                        if (restoreAfterFeedback) {
                            byte[] snap = d.snapshot();
                            d.close();
                            d = Detector.restore(snap);
                        }
                    }
                }
            }
        } finally {
            d.close();
        }
        return out;
    }

    @Test
    void aCauseMarkedNormalStopsAlarming() {
        assertEquals(16, flagged(false, false).size());
        assertEquals(List.of(2606L), flagged(true, false));
    }

    @Test
    void feedbackIsKeptInTheSnapshot() {
        assertEquals(List.of(2606L), flagged(true, true));
    }

    @Test
    void aBlankCauseIsRejected() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            assertThrows(CbadException.InvalidInputException.class, () -> d.markNormal(" "));
        }
    }

    @Test
    void aMetricSeriesMarkedNormalIsRebased() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.NUMERIC))) {
            for (int i = 0; i < 200; i++) {
                d.score(Double.toString(10 + (i % 7)));
            }
            assertTrue(d.markNormal("metric:value"));
            assertFalse(d.markNormal("metric:latency"), "no such series");
        }
    }
}
