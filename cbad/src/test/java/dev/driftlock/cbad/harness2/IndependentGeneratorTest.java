package dev.driftlock.cbad.harness2;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Harness v2 at a small size, through the engine API: the generator is deterministic and labels
 * what it injects, the engine's verdicts on every generated stream are deterministic, and the
 * streams that must stay quiet do (exact counts). Figures of quality are in docs/cbad.md
 * ("Quality harness v2"), measured by {@code scripts/quality.sh}; only the quiet-stream counts are
 * pinned here, because the engine is expected to change.
 */
class IndependentGeneratorTest {

    private static final int EVENTS = 2400;

    /** The engine's flags on a stream: per record the engine incident id, or -1. */
    private static long[] engineIncidents(LabelledData s) {
        InputKind kind = switch (s.format()) {
            case "text" -> InputKind.TEXT;
            case "csv" -> InputKind.NUMERIC;
            default -> InputKind.JSON;
        };
        long[] out = new long[s.records().size()];
        try (Detector d = Detector.create(DetectorConfig.defaults(kind))) {
            for (int i = 0; i < out.length; i++) {
                String r = s.records().get(i);
                Verdict v = kind == InputKind.NUMERIC ? d.score(Map.of(s.header(), Double.parseDouble(r))) : d.score(r);
                out[i] = v instanceof Verdict.Scored sc && sc.incident() != null ? sc.incident().id()
                        : v.anomaly() ? -2 : -1;
            }
        }
        return out;
    }

    private static long distinctIncidents(long[] ids, int from, int to) {
        return java.util.Arrays.stream(ids, from, to).filter(x -> x != -1).distinct().count();
    }

    @Test
    void theGeneratorIsDeterministicAndLabelsEveryInjectedIncident() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String d : Suite.DATASETS) {
            for (String c : Suite.classes(d)) {
                LabelledData a = Suite.stream(d, c, 7, EVENTS);
                LabelledData b = Suite.stream(d, c, 7, EVENTS);
                assertEquals(a, b, a.name() + " is not deterministic");
                if (!c.equals("periodic_clean") && !c.equals("zero_variance_step")) { // noise-free by design
                    assertNotEquals(a.records(), Suite.stream(d, c, 8, EVENTS).records(), a.name() + " ignores its seed");
                }
                int want = c.equals("none") || c.equals("periodic_clean") ? 0 : c.equals("zero_variance_step") ? 1 : 3;
                assertEquals(want, a.incidents().size(), a.name() + " incidents " + a.incidents());
                for (String id : a.incidents()) {
                    assertEquals(c, LabelledData.classOf(id), id);
                }
                assertTrue(a.records().size() >= (d.equals("numeric") ? 900 : EVENTS), a.name());
                expected.put(a.name(), a.positives());
            }
        }
        // what the generator labels at this size (changes here change the harness's denominators)
        assertEquals("{payments-card_testing=94, payments-impossible_travel=11, payments-amount_drift=48,"
                + " payments-new_category=24, payments-none=0, api-path_scan=299, api-error_burst=55,"
                + " api-latency_spike=47, api-latency_shift=91, api-traffic_drop=1680, api-none=0, metrics-spike=4,"
                + " metrics-level_shift=208, metrics-variance_change=208, metrics-stuck=208,"
                + " metrics-broken_seasonality=228, metrics-none=0, text-new_template=21, text-rare_burst=130,"
                + " text-mix_shift=299, text-none=0, numeric-spike=3, numeric-level_shift=450,"
                + " numeric-variance_change=450, numeric-flat=450, numeric-periodic_clean=0,"
                + " numeric-zero_variance_step=10}", expected.toString());
    }

    @Test
    void theEngineIsDeterministicOnEveryGeneratedStream() {
        for (String d : Suite.DATASETS) {
            for (String c : Suite.classes(d)) {
                LabelledData s = Suite.stream(d, c, 3, 1600);
                long[] first = engineIncidents(s);
                long[] second = engineIncidents(s);
                assertTrue(java.util.Arrays.equals(first, second), s.name() + ": verdicts differ between two runs");
            }
        }
    }

    @Test
    void quietNumericSeriesStayQuiet() {
        LabelledData periodic = Suite.stream("numeric", "periodic_clean", 1, 8000);
        assertEquals(0, distinctIncidents(engineIncidents(periodic), 0, periodic.records().size()),
                "a noise-free periodic series must produce no incident");
        LabelledData step = Suite.stream("numeric", "zero_variance_step", 1, 8000);
        long[] ids = engineIncidents(step);
        int half = step.records().size() / 2;
        assertEquals(0, distinctIncidents(ids, 0, half), "a zero-variance series must produce no incident");
        List<Integer> flaggedAtStep = new ArrayList<>();
        for (int i = half; i < half + 10; i++) {
            if (ids[i] != -1) {
                flaggedAtStep.add(i - half);
            }
        }
        assertTrue(flaggedAtStep.contains(0), "the step after a zero-variance stretch is flagged at once");
    }
}
