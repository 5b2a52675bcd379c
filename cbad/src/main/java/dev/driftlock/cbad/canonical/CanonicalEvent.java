package dev.driftlock.cbad.canonical;

/**
 * Canonical form of one event. Internal to the engine.
 *
 * @param analysed bytes that are scored (field filter applied), UTF-8 {@code key=value\n} lines
 *                 sorted by key for JSON, masked tokens for text
 * @param full     canonical bytes of all fields (same array as {@code analysed} when no filter)
 * @param numKeys  numeric field paths (analysed fields only)
 * @param numValues numeric values
 * @param numCount how many numeric entries are valid
 */
public record CanonicalEvent(byte[] analysed, byte[] full, String[] numKeys, double[] numValues, int numCount) {
}
