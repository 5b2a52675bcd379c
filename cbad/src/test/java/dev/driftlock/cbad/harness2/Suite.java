package dev.driftlock.cbad.harness2;

import java.util.ArrayList;
import java.util.List;

/**
 * The streams of harness v2: per dataset one stream per anomaly class (three incidents each, one
 * for {@code zero_variance_step}) and, for the event datasets, one normal-only stream
 * ({@code none}). Every stream has its own seed derived from the suite seed and its name.
 */
final class Suite {

    static final List<String> DATASETS = List.of("payments", "api", "metrics", "text", "numeric");

    private Suite() {
    }

    static List<String> classes(String dataset) {
        List<String> c = new ArrayList<>(switch (dataset) {
            case "payments" -> PaymentsGen.CLASSES;
            case "api" -> ApiGen.CLASSES;
            case "metrics" -> MetricsGen.CLASSES;
            case "text" -> TextLogGen.CLASSES;
            case "numeric" -> SeriesGen.CLASSES;
            default -> throw new IllegalArgumentException("dataset " + dataset);
        });
        if (!dataset.equals("numeric")) {
            c.add("none");
        }
        return c;
    }

    /**
     * @param events records per event stream (numeric series get {@code events * 3 / 8}, at least 600)
     */
    static LabelledData stream(String dataset, String klass, long seed, int events) {
        long s = seed * 1_000_003L + (dataset + "/" + klass).hashCode();
        return switch (dataset) {
            case "payments" -> PaymentsGen.generate(klass, s, events);
            case "api" -> ApiGen.generate(klass, s, events);
            case "metrics" -> MetricsGen.generate(klass, s, events);
            case "text" -> TextLogGen.generate(klass, s, events);
            case "numeric" -> SeriesGen.generate(klass, s, Math.max(600, events * 3 / 8));
            default -> throw new IllegalArgumentException("dataset " + dataset);
        };
    }

    static List<LabelledData> all(long seed, int events) {
        List<LabelledData> out = new ArrayList<>();
        for (String d : DATASETS) {
            for (String c : classes(d)) {
                out.add(stream(d, c, seed, events));
            }
        }
        return out;
    }
}
