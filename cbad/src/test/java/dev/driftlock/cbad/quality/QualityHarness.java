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
                incidentRuns.add(Evaluation.run(Streams.metric(seed, 3000, List.of(Streams.METRIC_INCIDENTS)), s));
                normalRuns.add(Evaluation.run(Streams.apiLogs(100 + seed, n, List.of()), s));
                normalRuns.add(Evaluation.run(Streams.transactions(100 + seed, n, List.of()), s));
                normalRuns.add(Evaluation.run(Streams.metric(100 + seed, 3000, List.of()), s));
            }
            print(s, incidentRuns, normalRuns);
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
        System.out.println("| stream | alarms | in incident windows | false alarms | FA per 10k normal | precision |");
        System.out.println("|---|---|---|---|---|---|");
        long alarms = 0;
        long fa = 0;
        long normal = 0;
        for (String name : List.of("api-logs", "transactions", "metric")) {
            long a = 0;
            long f = 0;
            long nn = 0;
            for (Evaluation.Result r : incidentRuns) {
                if (r.stream().equals(name)) {
                    a += r.alarms();
                    f += r.falseAlarms();
                    nn += r.normalEvents();
                }
            }
            alarms += a;
            fa += f;
            normal += nn;
            System.out.printf(Locale.ROOT, "| %s (with incidents) | %d | %d | %d | %.1f | %.2f |%n", name, a, a - f, f,
                    10000.0 * f / Math.max(1, nn), a == 0 ? 1.0 : (a - f) / (double) a);
        }
        for (String name : List.of("api-logs", "transactions", "metric")) {
            long a = 0;
            long nn = 0;
            for (Evaluation.Result r : normalRuns) {
                if (r.stream().equals(name)) {
                    a += r.alarms();
                    nn += r.normalEvents();
                }
            }
            System.out.printf(Locale.ROOT, "| %s (normal only, %d events) | %d | 0 | %d | %.1f | - |%n", name, nn, a, a,
                    10000.0 * a / Math.max(1, nn));
        }
        double precision = alarms == 0 ? 1 : (alarms - fa) / (double) alarms;
        double recall = det / (double) tot;
        System.out.printf(Locale.ROOT, "%nOverall (incident streams): precision %.3f, recall %.3f, F1 %.3f%n", precision,
                recall, 2 * precision * recall / Math.max(1e-9, precision + recall));
    }
}
