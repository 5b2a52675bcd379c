package dev.driftlock.cbad;

/**
 * Result of one window drift test: the last {@code windowEvents} events against an equal-size
 * sample of the baseline.
 *
 * @param index            stream position of the last event of the window
 * @param windowEvents     events in the window
 * @param ncd              normalized compression distance between window and reference sample
 * @param conditionalRatio C(reference+window) - C(reference) divided by C(window): share of the
 *                         window that the baseline sample does not explain (0..~1)
 * @param pValue           p-value of the NCD against the NCDs of past non-drift windows
 * @param drift            {@code pValue <= window alpha}
 * @param why              plain-language explanation
 */
public record DriftReport(long index, int windowEvents, double ncd, double conditionalRatio, double pValue,
                          boolean drift, String why) {
}
