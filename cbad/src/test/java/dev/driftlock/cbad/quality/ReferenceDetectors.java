package dev.driftlock.cbad.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Textbook streaming detectors for comparison on the metric streams (harness only): a rolling
 * z-score (mean/standard deviation of the last 512 points, alarm at abs(z) > 3) and a rolling robust
 * z-score (median/MAD of the last 512 points, alarm at abs(z) > 3.5, Iglewicz-Hoaglin). Both warm up
 * for 96 points like the CBAD metric detector.
 */
final class ReferenceDetectors {

    private ReferenceDetectors() {
    }

    static double cpu(String event) {
        int at = event.indexOf("\"cpu\":");
        int end = event.indexOf('}', at);
        return Double.parseDouble(event.substring(at + 6, end));
    }

    /**
     * @param s      metric stream
     * @param robust median/MAD (true) or mean/sd (false)
     * @return the evaluation with the same rules as {@link Evaluation#run}
     */
    static Evaluation.Result run(LabelledStream s, boolean robust) {
        int n = s.events().size();
        boolean[] alarm = new boolean[n];
        List<Double> window = new ArrayList<>();
        int warm = 96;
        for (int i = 0; i < n; i++) {
            double x = cpu(s.events().get(i));
            if (window.size() >= warm) {
                double[] w = window.stream().mapToDouble(Double::doubleValue).toArray();
                double z;
                if (robust) {
                    double[] sorted = w.clone();
                    Arrays.sort(sorted);
                    double med = sorted[sorted.length / 2];
                    for (int k = 0; k < sorted.length; k++) {
                        sorted[k] = Math.abs(sorted[k] - med);
                    }
                    Arrays.sort(sorted);
                    double mad = Math.max(1e-9, sorted[sorted.length / 2]);
                    z = 0.6745 * (x - med) / mad;
                    alarm[i] = Math.abs(z) > 3.5;
                } else {
                    double mean = Arrays.stream(w).average().orElse(0);
                    double var = Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length;
                    z = (x - mean) / Math.max(1e-9, Math.sqrt(var));
                    alarm[i] = Math.abs(z) > 3;
                }
            }
            window.add(x);
            if (window.size() > 512) {
                window.remove(0);
            }
        }
        return Evaluation.score(s, 0.5, alarm, n - warm);
    }
}
