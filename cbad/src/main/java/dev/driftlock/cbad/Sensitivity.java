package dev.driftlock.cbad;

/**
 * Maps a sensitivity in 0..1 to the false-alarm level alpha (an event is an anomaly when its
 * calibrated p-value is at most alpha). The map is piecewise log-linear between these points and
 * strictly increasing:
 *
 * <pre>
 * sensitivity  0.00   0.25   0.50   0.75   1.00
 * alpha        1e-6   1e-5   2e-4   2e-3   2e-2
 * </pre>
 *
 * The anomaly score is {@code min(1, -log10(p) / 6)}, so the score threshold of an alarm is
 * {@code -log10(alpha) / 6} (0.617 at the default 0.5).
 */
public final class Sensitivity {

    private static final double[] POINTS = {0.0, 0.25, 0.5, 0.75, 1.0};
    private static final double[] LOG_ALPHA = {
        Math.log10(1e-6), Math.log10(1e-5), Math.log10(2e-4), Math.log10(2e-3), Math.log10(2e-2)};

    private Sensitivity() {
    }

    /**
     * @param sensitivity 0..1
     * @return the per-event false-alarm level alpha
     */
    public static double alpha(double sensitivity) {
        if (!(sensitivity >= 0.0 && sensitivity <= 1.0)) {
            throw new CbadException.InvalidConfigException("sensitivity must be within 0.0..1.0, got " + sensitivity);
        }
        for (int i = 1; i < POINTS.length; i++) {
            if (sensitivity <= POINTS[i]) {
                double t = (sensitivity - POINTS[i - 1]) / (POINTS[i] - POINTS[i - 1]);
                return Math.pow(10, LOG_ALPHA[i - 1] + t * (LOG_ALPHA[i] - LOG_ALPHA[i - 1]));
            }
        }
        return Math.pow(10, LOG_ALPHA[LOG_ALPHA.length - 1]);
    }

    /**
     * @param pValue a calibrated p-value in (0, 1]
     * @return the anomaly score in [0, 1], higher is more anomalous
     */
    public static double score(double pValue) {
        double p = Math.max(pValue, 1e-12);
        return Math.min(1.0, Math.max(0.0, -Math.log10(p) / 6.0));
    }
}
