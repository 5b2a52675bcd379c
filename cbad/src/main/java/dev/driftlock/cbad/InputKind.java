package dev.driftlock.cbad;

/** What a stream's events look like. */
public enum InputKind {
    /** One JSON object per event (nested objects and arrays allowed). */
    JSON,
    /** One text line per event (logs). */
    TEXT,
    /**
     * Numeric samples (metrics): one number, a comma-separated list of numbers, or a JSON object of
     * numeric fields per event.
     */
    NUMERIC
}
