package dev.driftlock.cbad.explain;

import dev.driftlock.cbad.Evidence;

import java.util.Locale;

/**
 * Writes the one-paragraph plain-language "why" of an anomaly from its evidence. Internal.
 */
public final class Explainer {

    private Explainer() {
    }

    /**
     * @param index       stream position
     * @param pValue      calibrated p-value
     * @param alpha       alarm level
     * @param score       anomaly score
     * @param e           evidence
     * @param medianBytes median compressed size of normal events
     * @return the paragraph
     */
    public static String eventWhy(long index, double pValue, double alpha, double score, Evidence e,
                                  double medianBytes) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(String.format(Locale.ROOT,
                "Event %d is unusual for this stream (p = %.2g <= alarm level %.2g, score %.2f).", index, pValue,
                alpha, score));
        if (!e.detail().isEmpty()) {
            sb.append(" Strongest sign: ").append(e.detail()).append('.');
        }
        if (e.compressedBytes() > 0) {
            sb.append(String.format(Locale.ROOT,
                    " Given the %d recent normal events of the baseline, it takes %d compressed bytes to describe"
                            + " (%d canonical bytes) where a normal event takes about %.0f.",
                    e.baselineEvents(), e.compressedBytes(), e.canonicalBytes(), medianBytes));
        }
        if (!e.novelTokens().isEmpty()) {
            sb.append(" Never seen in the baseline: ").append(String.join(", ", e.novelTokens())).append('.');
        }
        if (!e.numeric().isEmpty()) {
            sb.append(" Rare values:");
            boolean first = true;
            for (Evidence.NumericDeviation d : e.numeric()) {
                sb.append(first ? " " : ", ");
                first = false;
                sb.append(d.field()).append('=').append(fmt(d.value()));
                if (!Double.isNaN(d.baselineMedian())) {
                    sb.append(" (baseline median about ").append(fmt(d.baselineMedian()));
                    if (!Double.isNaN(d.robustZ())) {
                        sb.append(String.format(Locale.ROOT, ", robust z %.1f", d.robustZ()));
                    }
                    sb.append(')');
                }
            }
            sb.append('.');
        }
        return sb.toString();
    }

    /**
     * @param v a number
     * @return compact text
     */
    public static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
