package dev.driftlock.cbad.quality;

import dev.driftlock.cbad.Detector;
import dev.driftlock.cbad.DetectorConfig;
import dev.driftlock.cbad.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a detector over a labelled stream and scores it. An alarm is an event verdict with
 * {@code anomaly} or a window drift report with {@code drift}. An incident counts as detected when an
 * alarm falls in [start, end + GRACE); delay = first such alarm - start. Alarms outside every
 * incident window are false alarms; precision = alarms inside windows / all alarms.
 */
public final class Evaluation {

    /** Events after an incident's end in which an alarm still belongs to it. */
    public static final int GRACE = 30;

    /**
     * @param type     incident type
     * @param detected whether any alarm hit it
     * @param delay    events from start to the first alarm (-1 if missed)
     */
    public record IncidentResult(String type, boolean detected, int delay) {
    }

    /**
     * @param stream        stream name
     * @param sensitivity   sensitivity used
     * @param events        events scored
     * @param normalEvents  events outside incident windows (after warm-up)
     * @param alarms        all alarms
     * @param falseAlarms   alarms outside incident windows
     * @param incidents     per incident result
     */
    public record Result(String stream, double sensitivity, int events, int normalEvents, int alarms, int falseAlarms,
                         List<IncidentResult> incidents) {

        /** @return alarms inside incident windows / alarms (1 when there are none) */
        public double precision() {
            return alarms == 0 ? 1.0 : (alarms - falseAlarms) / (double) alarms;
        }

        /** @return false alarms per 10,000 normal events */
        public double falseAlarmsPer10k() {
            return normalEvents == 0 ? 0 : 10_000.0 * falseAlarms / normalEvents;
        }
    }

    private Evaluation() {
    }

    /**
     * @param s           stream
     * @param sensitivity sensitivity
     * @return the result
     */
    public static Result run(LabelledStream s, double sensitivity) {
        DetectorConfig cfg = DetectorConfig.defaults(s.kind()).withSensitivity(sensitivity);
        boolean[] alarm = new boolean[s.events().size()];
        int scored = 0;
        try (Detector d = Detector.create(cfg)) {
            for (int i = 0; i < alarm.length; i++) {
                Verdict v = d.score(s.events().get(i));
                if (v instanceof Verdict.Scored sc) {
                    scored++;
                    alarm[i] = sc.anomaly() || (sc.drift() != null && sc.drift().drift());
                }
            }
        }
        boolean[] inWindow = new boolean[alarm.length];
        List<IncidentResult> results = new ArrayList<>();
        for (LabelledStream.Incident inc : s.incidents()) {
            int first = -1;
            for (int i = inc.start(); i < Math.min(alarm.length, inc.end() + GRACE); i++) {
                inWindow[i] = true;
                if (alarm[i] && first < 0) {
                    first = i;
                }
            }
            results.add(new IncidentResult(inc.type(), first >= 0, first < 0 ? -1 : first - inc.start()));
        }
        int alarms = 0;
        int fa = 0;
        int normal = 0;
        int warm = alarm.length - scored;
        for (int i = 0; i < alarm.length; i++) {
            if (alarm[i]) {
                alarms++;
                if (!inWindow[i]) {
                    fa++;
                }
            }
            if (!inWindow[i] && i >= warm) {
                normal++;
            }
        }
        return new Result(s.name(), sensitivity, alarm.length, normal, alarms, fa, results);
    }

    /**
     * @param results results of several runs
     * @return per incident type: {detected, total, sum of delays}
     */
    public static Map<String, int[]> byType(List<Result> results) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Result r : results) {
            for (IncidentResult i : r.incidents()) {
                int[] a = m.computeIfAbsent(i.type(), k -> new int[3]);
                a[1]++;
                if (i.detected()) {
                    a[0]++;
                    a[2] += i.delay();
                }
            }
        }
        return m;
    }
}
