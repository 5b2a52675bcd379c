package dev.driftlock.cbad.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quality harness (not a test): generates labelled streams with several seeds and prints, per
 * sensitivity, precision / recall / F1 / delay / false alarms per 10k normal events, as Markdown.
 * Run: see docs/cbad.md.
 */
public final class QualityHarness {

    private QualityHarness() {
    }

    /**
     * @param args optional: seeds (default 5) and events per stream (default 20000)
     */
    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        double[] sens = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray()
                : new double[] {0.25, 0.5, 0.75};
        for (double s : sens) {
            List<Evaluation.Result> incidentRuns = new ArrayList<>();
            List<Evaluation.Result> normalRuns = new ArrayList<>();
            for (int seed = 1; seed <= seeds; seed++) {
                incidentRuns.add(Evaluation.run(Streams.apiLogs(seed, n, List.of(Streams.API_INCIDENTS)), s));
                incidentRuns.add(Evaluation.run(Streams.transactions(seed, n / 2, List.of(Streams.TXN_INCIDENTS)), s));
                incidentRuns.add(Evaluation.run(Streams.textLogs(seed, n / 2, List.of(Streams.TEXT_INCIDENTS)), s));
                incidentRuns.add(Evaluation.run(Streams.metric(seed, 3000, List.of(Streams.METRIC_INCIDENTS)), s));
                normalRuns.add(Evaluation.run(Streams.apiLogs(100 + seed, n, List.of()), s));
                normalRuns.add(Evaluation.run(Streams.transactions(100 + seed, n, List.of()), s));
                normalRuns.add(Evaluation.run(Streams.textLogs(100 + seed, n, List.of()), s));
                normalRuns.add(Evaluation.run(Streams.metric(100 + seed, 3000, List.of()), s));
            }
            print(s, incidentRuns, normalRuns);
        }
        compareMetrics(seeds);
    }

    /** CBAD's metric detector at default sensitivity against two textbook streaming detectors. */
    static void compareMetrics(int seeds) {
        System.out.println();
        System.out.println("### metric streams: CBAD vs textbook streaming detectors (" + seeds + " seeds)");
        System.out.println();
        System.out.println("| detector | spike | level_shift | variance_change | drift | broken_pattern | recall "
                + "| precision | FA per 10k (normal-only) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String name : List.of("CBAD metric (sensitivity 0.5)", "rolling z-score, abs(z) > 3 (mean/sd of 512)",
                "rolling robust z, abs(z) > 3.5 (median/MAD of 512)")) {
            List<Evaluation.Result> inc = new ArrayList<>();
            long fa = 0;
            long normal = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                LabelledStream withIncidents = Streams.metric(seed, 3000, List.of(Streams.METRIC_INCIDENTS));
                LabelledStream normalOnly = Streams.metric(100 + seed, 3000, List.of());
                Evaluation.Result a;
                Evaluation.Result b;
                if (name.startsWith("CBAD")) {
                    a = Evaluation.run(withIncidents, 0.5);
                    b = Evaluation.run(normalOnly, 0.5);
                } else {
                    boolean robust = name.contains("robust");
                    a = ReferenceDetectors.run(withIncidents, robust);
                    b = ReferenceDetectors.run(normalOnly, robust);
                }
                inc.add(a);
                fa += b.falseAlarms();
                normal += b.normalEvents();
            }
            Map<String, int[]> t = Evaluation.byType(inc);
            int det = 0;
            int tot = 0;
            long alarms = 0;
            long incFa = 0;
            StringBuilder row = new StringBuilder("| " + name + " |");
            for (String type : Streams.METRIC_INCIDENTS) {
                int[] v = t.get("metric / " + type);
                det += v[0];
                tot += v[1];
                row.append(' ').append(v[0]).append('/').append(v[1]).append(" |");
            }
            for (Evaluation.Result r : inc) {
                alarms += r.alarms();
                incFa += r.falseAlarms();
            }
            row.append(String.format(Locale.ROOT, " %.2f | %.2f | %.1f |", det / (double) tot,
                    alarms == 0 ? 1.0 : (alarms - incFa) / (double) alarms, 10000.0 * fa / Math.max(1, normal)));
            System.out.println(row);
        }
    }

    static void print(double s, List<Evaluation.Result> incidentRuns, List<Evaluation.Result> normalRuns) {
        System.out.printf(Locale.ROOT, "%n### sensitivity %.2f%n%n", s);
        System.out.println("| incident type | detected / injected | recall | mean delay (events) |");
        System.out.println("|---|---|---|---|");
        int det = 0;
        int tot = 0;
        for (Map.Entry<String, int[]> e : Evaluation.byType(incidentRuns).entrySet()) {
            int[] a = e.getValue();
            det += a[0];
            tot += a[1];
            System.out.printf(Locale.ROOT, "| %s | %d / %d | %.2f | %s |%n", e.getKey(), a[0], a[1], a[0] / (double) a[1],
                    a[0] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", a[2] / (double) a[0]));
        }
        System.out.println();
        System.out.println("| stream | alarms | in incident windows | false alarms | FA per 10k normal | precision "
                + "| recall | F1 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        long alarms = 0;
        long fa = 0;
        long normal = 0;
        for (String name : List.of("api-logs", "transactions", "text-logs", "metric")) {
            long a = 0;
            long f = 0;
            long nn = 0;
            int sd = 0;
            int st = 0;
            for (Evaluation.Result r : incidentRuns) {
                if (r.stream().equals(name)) {
                    a += r.alarms();
                    f += r.falseAlarms();
                    nn += r.normalEvents();
                    for (Evaluation.IncidentResult i : r.incidents()) {
                        st++;
                        sd += i.detected() ? 1 : 0;
                    }
                }
            }
            alarms += a;
            fa += f;
            normal += nn;
            double p = a == 0 ? 1.0 : (a - f) / (double) a;
            double rc = st == 0 ? 0 : sd / (double) st;
            System.out.printf(Locale.ROOT, "| %s (with incidents) | %d | %d | %d | %.1f | %.2f | %.2f | %.2f |%n", name, a,
                    a - f, f, 10000.0 * f / Math.max(1, nn), p, rc, 2 * p * rc / Math.max(1e-9, p + rc));
        }
        for (String name : List.of("api-logs", "transactions", "text-logs", "metric")) {
            long a = 0;
            long nn = 0;
            for (Evaluation.Result r : normalRuns) {
                if (r.stream().equals(name)) {
                    a += r.alarms();
                    nn += r.normalEvents();
                }
            }
            System.out.printf(Locale.ROOT, "| %s (normal only, %d events) | %d | 0 | %d | %.1f | - | - | - |%n", name, nn, a, a,
                    10000.0 * a / Math.max(1, nn));
        }
        double precision = alarms == 0 ? 1 : (alarms - fa) / (double) alarms;
        double recall = det / (double) tot;
        System.out.printf(Locale.ROOT, "%nOverall (incident streams): precision %.3f, recall %.3f, F1 %.3f%n", precision,
                recall, 2 * precision * recall / Math.max(1e-9, precision + recall));
    }
}
