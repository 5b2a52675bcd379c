package dev.driftlock.cbad.harness2;

import java.util.List;

/**
 * Univariate numeric series, one number per line (CSV with the header {@code value}): a period-48
 * cycle (amplitude 5) plus AR(1) noise (innovation sd 1, coefficient 0.5) around 50.
 *
 * <p>Classes:
 * <ul>
 *   <li>{@code spike}: three single points 7-9 noise sd off the cycle;</li>
 *   <li>{@code level_shift}: three shifts of +5 lasting 150 points each, then back;</li>
 *   <li>{@code variance_change}: three stretches of 150 points with 4x the noise;</li>
 *   <li>{@code flat}: three stretches of 150 points where the value repeats (a stuck sensor);</li>
 *   <li>{@code periodic_clean}: {@code 10 sin(2 pi i / 60)} with no noise and no anomaly: it must stay
 *       quiet;</li>
 *   <li>{@code zero_variance_step}: the constant 5 for half the series, then the constant 6: one
 *       incident, its first 10 points labelled.</li>
 * </ul>
 */
final class SeriesGen {

    static final List<String> CLASSES = List.of("spike", "level_shift", "variance_change", "flat", "periodic_clean",
            "zero_variance_step");

    private SeriesGen() {
    }

    static LabelledData generate(String klass, long seed, int n) {
        Gen g = new Gen(seed);
        LabelledData.Builder out = new LabelledData.Builder();
        int[] starts = {(int) (n * 0.30), (int) (n * 0.55), (int) (n * 0.80)};
        double ar = 0;
        double last = 50;
        for (int i = 0; i < n; i++) {
            int inc = -1;
            int len = klass.equals("spike") ? 1 : 150;
            for (int k = 0; k < starts.length; k++) {
                if (i >= starts[k] && i < starts[k] + len) {
                    inc = k;
                }
            }
            String label = "";
            double v;
            switch (klass) {
                case "periodic_clean" -> v = 10 * Math.sin(2 * Math.PI * i / 60.0);
                case "zero_variance_step" -> {
                    v = i < n / 2 ? 5 : 6;
                    label = i >= n / 2 && i < n / 2 + 10 ? "I1_" + klass : "";
                }
                default -> {
                    double sd = inc >= 0 && klass.equals("variance_change") ? 4 : 1;
                    ar = 0.5 * ar + sd * g.gaussian();
                    v = 50 + 5 * Math.sin(2 * Math.PI * i / 48.0) + ar;
                    if (inc >= 0) {
                        label = "I" + (inc + 1) + "_" + klass;
                        switch (klass) {
                            case "spike" -> v += (g.chance(0.5) ? 1 : -1) * g.uniform(8, 10.5);
                            case "level_shift" -> v += 5;
                            case "flat" -> v = last;
                            case "variance_change" -> {
                            }
                            default -> throw new IllegalArgumentException("numeric class " + klass);
                        }
                    } else if (!klass.equals("none") && !CLASSES.contains(klass)) {
                        throw new IllegalArgumentException("numeric class " + klass);
                    }
                }
            }
            last = v;
            out.add(Gen.num(v, 4), label);
        }
        return out.build("numeric", klass, "csv", "value");
    }
}
