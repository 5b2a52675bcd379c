package dev.driftlock.cbad;

import java.util.List;
import java.util.Map;

/**
 * Structured evidence of a scored event.
 *
 * @param canonicalBytes   size of the canonical (masked, key-sorted) form of the event
 * @param compressedBytes  size of the event compressed with the baseline as zstd dictionary (0 for
 *                         numeric streams)
 * @param surprisalBits    raw score before calibration (compression bits plus numeric surprisal)
 * @param baselineEvents   events in the baseline
 * @param calibrationSize  normal scores the p-value is computed against
 * @param novelTokens      canonical tokens ({@code key=value} or words) absent from the baseline
 *                         (filled for anomalies, at most 10)
 * @param numeric          numeric fields whose value is rare for the baseline (filled for anomalies)
 * @param components       named component p-values (e.g. compression, numeric, rarity, context,
 *                         context_category, rate; spike, level, variance, pattern for metrics)
 * @param cause            what the flag is about, the key that groups flags into one incident:
 *                         the strongest component and its subject (e.g. {@code rate:card=4242},
 *                         {@code context:host=web-1:latency_ms}, {@code compression}); empty for
 *                         normal events
 * @param detail           the cause in plain words
 */
public record Evidence(int canonicalBytes, int compressedBytes, double surprisalBits, int baselineEvents,
                       int calibrationSize, List<String> novelTokens, List<NumericDeviation> numeric,
                       Map<String, Double> components, String cause, String detail) {

    /** Evidence without a cause (normal events). */
    public Evidence(int canonicalBytes, int compressedBytes, double surprisalBits, int baselineEvents,
                    int calibrationSize, List<String> novelTokens, List<NumericDeviation> numeric,
                    Map<String, Double> components) {
        this(canonicalBytes, compressedBytes, surprisalBits, baselineEvents, calibrationSize, novelTokens, numeric,
                components, "", "");
    }

    /** Copies the lists and map (immutable). */
    public Evidence {
        novelTokens = novelTokens == null ? List.of() : List.copyOf(novelTokens);
        numeric = numeric == null ? List.of() : List.copyOf(numeric);
        components = components == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(components));
        cause = cause == null ? "" : cause;
        detail = detail == null ? "" : detail;
    }

    /**
     * A numeric value that is unusual for the baseline.
     *
     * @param field          field name
     * @param value          observed value
     * @param baselineMedian median of the field in the baseline (NaN if unknown)
     * @param robustZ        (value - median) / (1.4826 * MAD); NaN if unknown
     */
    public record NumericDeviation(String field, double value, double baselineMedian, double robustZ) {
    }
}
