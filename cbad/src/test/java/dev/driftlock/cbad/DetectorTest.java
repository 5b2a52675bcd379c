package dev.driftlock.cbad;

import dev.driftlock.cbad.quality.Streams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorTest {

    static final List<String> API_EVENTS = Streams.apiLogs(7, 1500, List.of()).events();

    @Test
    void sensitivityTableIsMonotone() {
        assertEquals(1e-6, Sensitivity.alpha(0.0), 1e-18);
        assertEquals(1e-5, Sensitivity.alpha(0.25), 1e-17);
        assertEquals(2e-4, Sensitivity.alpha(0.5), 1e-16);
        assertEquals(2e-3, Sensitivity.alpha(0.75), 1e-15);
        assertEquals(2e-2, Sensitivity.alpha(1.0), 1e-14);
        double prev = 0;
        for (int i = 0; i <= 100; i++) {
            double a = Sensitivity.alpha(i / 100.0);
            assertTrue(a > prev);
            prev = a;
        }
        assertEquals(0.5, Sensitivity.score(1e-3), 1e-12);
        assertEquals(1.0, Sensitivity.score(1e-9));
        assertEquals(0.0, Sensitivity.score(1.0));
    }

    @Test
    void warmUpReportsMissingEvents() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            assertEquals(256, Detector.warmupEvents(d.config()));
            Verdict first = d.score(API_EVENTS.get(0));
            Verdict.Calibrating c = assertInstanceOf(Verdict.Calibrating.class, first);
            assertEquals(255, c.missing());
            assertEquals("calibrating", c.status());
            for (int i = 1; i < 255; i++) {
                assertInstanceOf(Verdict.Calibrating.class, d.score(API_EVENTS.get(i)));
            }
            Verdict last = d.score(API_EVENTS.get(255));
            assertEquals("scored", last.status());
        }
    }

    @Test
    void normalEventsAfterWarmUpAreScoredNormal() {
        java.util.List<Long> anomalies = new java.util.ArrayList<>();
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String e : API_EVENTS) {
                Verdict v = d.score(e);
                if (v.anomaly()) {
                    anomalies.add(v.index());
                }
            }
        }
        // one flag in 1,245 scored normal events (8 per 10,000, p = 1.6e-4 at alpha 2e-4): a 401 for
        // a user never seen before, weak signs of rarity and of a changed attribute together
        assertEquals(java.util.List.of(1134L), anomalies);
    }

    @Test
    void anomalyCarriesEvidenceAndWhy() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (String e : API_EVENTS) {
                d.score(e);
            }
            Verdict v = d.score("{\"timestamp\":\"2026-11-21T10:00:00Z\",\"request_id\":\"3f2b8c1e-9d4a-4e1b-8f6a-0c2d4e6f8a1b\","
                    + "\"http\":{\"method\":\"PROPFIND\",\"path\":\"/.env\",\"status\":405},\"client\":{\"ip\":\"1.2.3.4\","
                    + "\"agent\":\"zgrab/0.x\"},\"latency_ms\":3.1,\"bytes\":150,\"user\":\"user1\",\"region\":\"eu-west-1\"}");
            Verdict.Scored s = assertInstanceOf(Verdict.Scored.class, v);
            assertTrue(s.anomaly());
            assertEquals(List.of("bytes=150", "client.agent=zgrab/<n>", "http.method=PROPFIND", "http.path=/.env",
                    "http.status=405", "latency_ms=~5", "user=user1"), s.evidence().novelTokens());
            assertEquals(1000, s.evidence().baselineEvents());
            assertTrue(s.why().contains("Never seen in the baseline: "), s.why());
            assertTrue(s.pValue() <= s.alpha());
        }
    }

    @Test
    void invalidConfigAndInputThrowCbadExceptions() {
        assertThrows(CbadException.InvalidConfigException.class,
                () -> new DetectorConfig(InputKind.JSON, 1.5, Set.of(), Set.of(), 1000));
        assertThrows(CbadException.InvalidConfigException.class,
                () -> new DetectorConfig(null, 0.5, Set.of(), Set.of(), 1000));
        assertThrows(CbadException.InvalidConfigException.class,
                () -> DetectorConfig.defaults(InputKind.JSON).withBaselineEvents(10));
        assertThrows(CbadException.InvalidConfigException.class, () -> Detector.create(null));
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            assertThrows(CbadException.InvalidInputException.class, () -> d.score((String) null));
            assertThrows(CbadException.InvalidInputException.class, () -> d.score("not json"));
            assertThrows(CbadException.InvalidInputException.class, () -> d.score(Map.of("x", 1.0)));
            assertThrows(CbadException.InvalidConfigException.class,
                    () -> d.reconfigure(DetectorConfig.defaults(InputKind.TEXT)));
        }
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.NUMERIC))) {
            assertThrows(CbadException.InvalidInputException.class, () -> d.score("abc"));
            assertThrows(CbadException.InvalidInputException.class, () -> d.score(""));
        }
        assertInstanceOf(IllegalArgumentException.class, new CbadException.InvalidInputException("x"));
    }

    @Test
    void reconfigureKeepsState() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.JSON))) {
            for (int i = 0; i < 400; i++) {
                d.score(API_EVENTS.get(i));
            }
            d.reconfigure(d.config().withSensitivity(0.9));
            Verdict.Scored s = assertInstanceOf(Verdict.Scored.class, d.score(API_EVENTS.get(400)));
            assertEquals(Sensitivity.alpha(0.9), s.alpha());
            d.reconfigure(d.config().withFields(Set.of("http"), Set.of()));
            Verdict v = d.score(API_EVENTS.get(401));
            assertEquals(127, assertInstanceOf(Verdict.Calibrating.class, v).missing());
            for (int i = 402; i < 529; i++) {
                d.score(API_EVENTS.get(i));
            }
            assertEquals("scored", d.score(API_EVENTS.get(529)).status());
        }
    }

    @Test
    void batchScoresEachItemWithAnOptionalBaseline() {
        List<Verdict> out = Detector.batch(DetectorConfig.defaults(InputKind.JSON), API_EVENTS.subList(0, 600),
                API_EVENTS.subList(600, 650));
        assertEquals(50, out.size());
        assertEquals(600, out.get(0).index());
        assertTrue(out.stream().allMatch(v -> v.status().equals("scored")));
        CbadException e = assertThrows(CbadException.InvalidInputException.class,
                () -> Detector.batch(DetectorConfig.defaults(InputKind.JSON), null, List.of("{}", "oops")));
        assertTrue(e.getMessage().startsWith("item 0: "), e.getMessage());
    }

    @Test
    void textStreamsAreScored() {
        int anomalies = 0;
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.TEXT))) {
            for (int i = 0; i < 800; i++) {
                String line = "2026-11-21 10:00:" + String.format("%02d", i % 60) + " INFO request " + (100000 + i * 7)
                        + " served path=/api/items status=200 in " + (20 + i % 30) + "ms";
                if (d.score(line).anomaly()) {
                    anomalies++;
                }
            }
            assertEquals(0, anomalies);
            Verdict.Scored s = assertInstanceOf(Verdict.Scored.class,
                    d.score("2026-11-21 10:01:00 ERROR OutOfMemoryError: Java heap space in worker-7"));
            assertTrue(s.anomaly());
            assertTrue(s.evidence().novelTokens().contains("OutOfMemoryError:"), s.evidence().novelTokens().toString());
        }
    }

    @Test
    void numericStreamsFlagASpike() {
        try (Detector d = Detector.create(DetectorConfig.defaults(InputKind.NUMERIC))) {
            List<String> series = Streams.metric(3, 700, List.of()).events();
            int anomalies = 0;
            for (String p : series) {
                if (d.score(p).anomaly()) {
                    anomalies++;
                }
            }
            assertEquals(0, anomalies);
            Verdict.Scored s = assertInstanceOf(Verdict.Scored.class, d.score("{\"ts\":1,\"cpu\":140.0}"));
            assertTrue(s.anomaly());
            assertEquals("cpu", s.evidence().numeric().get(0).field());
            assertFalse(s.why().isBlank());
        }
    }
}
