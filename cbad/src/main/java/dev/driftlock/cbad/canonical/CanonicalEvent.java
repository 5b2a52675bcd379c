package dev.driftlock.cbad.canonical;

/**
 * Canonical form of one event. Internal to the engine.
 *
 * @param analysed  bytes that are scored (field filter applied), UTF-8 {@code key=value\n} lines
 *                  sorted by key for JSON, one masked token per line for text (in line order)
 * @param full      canonical bytes of all fields (same array as {@code analysed} when no filter)
 * @param numKeys   numeric field paths (analysed fields only)
 * @param numValues numeric values
 * @param numCount  how many numeric entries are valid
 * @param rawKeys   paths of short string (and integer id) fields with their unmasked values, the
 *                  candidates for entity keys (analysed fields only)
 * @param rawValues the unmasked values
 * @param rawCount  how many raw entries are valid
 * @param eventTime event time in epoch milliseconds from the first timestamp field, or
 *                  {@link Long#MIN_VALUE} when the event has none
 */
public record CanonicalEvent(byte[] analysed, byte[] full, String[] numKeys, double[] numValues, int numCount,
                             String[] rawKeys, String[] rawValues, int rawCount, long eventTime) {

    private static final String[] NONE = new String[0];

    /** An event without raw values or event time (text lines, restored quarantine). */
    public CanonicalEvent(byte[] analysed, byte[] full, String[] numKeys, double[] numValues, int numCount) {
        this(analysed, full, numKeys, numValues, numCount, NONE, NONE, 0, Long.MIN_VALUE);
    }
}
