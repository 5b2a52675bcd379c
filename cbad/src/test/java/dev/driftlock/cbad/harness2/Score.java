package dev.driftlock.cbad.harness2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores one stream's flags against its labels (the definitions of {@code score_streams.py}, plus
 * engine incidents):
 * <ul>
 *   <li>an incident is detected when one of its own labelled records is flagged, or any of the
 *       {@value #TAIL} records after its last one; delay = that flag's position - the incident's first
 *       record (records);</li>
 *   <li>event precision and recall over labelled records (a flagged normal record inside an
 *       incident's span is a false positive for precision);</li>
 *   <li>the normal part of a stream is every label-0 record except the {@value #TAIL} records
 *       after each incident (normal records interleaved with an incident's own records are normal:
 *       a card-testing run does not excuse a flag on another card's payment); false alarms per 10,000 normal records are counted twice: as
 *       engine incidents opened there (distinct incident ids of the output; a flagged row without an
 *       id, such as a drift window, counts alone) and as flagged normal records.</li>
 * </ul>
 */
final class Score {

    static final int TAIL = 10;

    /** Per-class tallies (additive). */
    static final class Tally {
        int incidents;
        int detected;
        long delaySum;
        long positives;
        long truePositives;

        void add(Tally o) {
            incidents += o.incidents;
            detected += o.detected;
            delaySum += o.delaySum;
            positives += o.positives;
            truePositives += o.truePositives;
        }

        Double meanDelay() {
            return detected == 0 ? null : delaySum / (double) detected;
        }
    }

    /** Additive stream totals. */
    static final class Totals {
        long events;
        long positives;
        long flagged;
        long truePositives;
        long normalEvents;
        long falseFlags;
        long falseIncidents;
        long engineIncidents;
        long trueEngineIncidents;
        final Tally incidents = new Tally();
        final Map<String, Tally> byClass = new TreeMap<>();

        void add(Totals o) {
            events += o.events;
            positives += o.positives;
            flagged += o.flagged;
            truePositives += o.truePositives;
            normalEvents += o.normalEvents;
            falseFlags += o.falseFlags;
            falseIncidents += o.falseIncidents;
            engineIncidents += o.engineIncidents;
            trueEngineIncidents += o.trueEngineIncidents;
            incidents.add(o.incidents);
            o.byClass.forEach((k, v) -> byClass.computeIfAbsent(k, x -> new Tally()).add(v));
        }

        Double precision() {
            return flagged == 0 ? null : truePositives / (double) flagged;
        }

        Double recall() {
            return positives == 0 ? null : truePositives / (double) positives;
        }

        Double faIncidentsPer10k() {
            return normalEvents == 0 ? null : falseIncidents * 1e4 / normalEvents;
        }

        Double faFlagsPer10k() {
            return normalEvents == 0 ? null : falseFlags * 1e4 / normalEvents;
        }
    }

    private Score() {
    }

    /**
     * @param incident incident id per record ("" normal)
     * @param flagged  flag per record
     * @param engineId engine incident id per record (-1 when the row carries none)
     */
    static Totals evaluate(List<String> incident, boolean[] flagged, long[] engineId) {
        int n = incident.size();
        Totals t = new Totals();
        t.events = n;
        Map<String, int[]> span = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = incident.get(i);
            if (!id.isEmpty()) {
                span.computeIfAbsent(id, k -> new int[]{Integer.MAX_VALUE, -1});
                int[] s = span.get(id);
                s[0] = Math.min(s[0], i);
                s[1] = Math.max(s[1], i);
                t.positives++;
            }
            if (flagged[i]) {
                t.flagged++;
                if (!id.isEmpty()) {
                    t.truePositives++;
                }
            }
        }
        boolean[] covered = new boolean[n];
        for (Map.Entry<String, int[]> e : span.entrySet()) {
            String id = e.getKey();
            int first = e.getValue()[0];
            int last = e.getValue()[1];
            int hi = Math.min(n - 1, last + TAIL);
            Tally c = t.byClass.computeIfAbsent(LabelledData.classOf(id), k -> new Tally());
            c.incidents++;
            for (int j = last + 1; j <= hi; j++) {
                covered[j] = true;
            }
            for (int j = first; j <= last; j++) {
                if (incident.get(j).equals(id)) {
                    c.positives++;
                    if (flagged[j]) {
                        c.truePositives++;
                    }
                }
            }
            for (int j = first; j <= hi; j++) {
                if (flagged[j] && (incident.get(j).equals(id) || j > last)) {
                    c.detected++;
                    c.delaySum += j - first;
                    break;
                }
            }
        }
        Map<Long, Integer> opened = new LinkedHashMap<>();
        List<Integer> loneFlags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean normalPart = incident.get(i).isEmpty() && !covered[i];
            if (normalPart) {
                t.normalEvents++;
                if (flagged[i]) {
                    t.falseFlags++;
                }
            }
            if (engineId[i] >= 0) {
                opened.putIfAbsent(engineId[i], i);
            } else if (flagged[i]) {
                loneFlags.add(i);
            }
        }
        List<Integer> openers = new ArrayList<>(opened.values());
        openers.addAll(loneFlags);
        for (int i : openers) {
            t.engineIncidents++;
            if (incident.get(i).isEmpty() && !covered[i]) {
                t.falseIncidents++;
            } else {
                t.trueEngineIncidents++;
            }
        }
        for (Tally c : t.byClass.values()) {
            t.incidents.add(c);
        }
        return t;
    }
}
