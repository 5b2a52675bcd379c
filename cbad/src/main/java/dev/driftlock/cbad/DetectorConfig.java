package dev.driftlock.cbad;

import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of one detector (one stream).
 *
 * @param kind           what the events are
 * @param sensitivity    0.0 (fewest alarms) .. 1.0 (most alarms); mapped to a false-alarm level by
 *                       {@link Sensitivity#alpha(double)}; default 0.5
 * @param includeFields  if not empty, only these fields (JSON paths such as {@code user.id}, or CSV
 *                       column names) are analysed; a parent path includes its children
 * @param excludeFields  fields never analysed (applied after include)
 * @param baselineEvents how many recent normal events form the baseline (64..8192, default 1000)
 */
public record DetectorConfig(InputKind kind, double sensitivity, Set<String> includeFields,
                             Set<String> excludeFields, int baselineEvents) {

    /** Default sensitivity: 0.5, i.e. a false-alarm level of 2e-4 per event. */
    public static final double DEFAULT_SENSITIVITY = 0.5;
    /** Default baseline size in events. */
    public static final int DEFAULT_BASELINE_EVENTS = 1000;

    /** Validates and copies the field sets (sorted, immutable). */
    public DetectorConfig {
        if (kind == null) {
            throw new CbadException.InvalidConfigException("kind must be one of JSON, TEXT, NUMERIC, not null");
        }
        if (!(sensitivity >= 0.0 && sensitivity <= 1.0)) {
            throw new CbadException.InvalidConfigException("sensitivity must be within 0.0..1.0, got " + sensitivity);
        }
        if (baselineEvents < 64 || baselineEvents > 8192) {
            throw new CbadException.InvalidConfigException("baselineEvents must be within 64..8192, got " + baselineEvents);
        }
        includeFields = copy(includeFields, "includeFields");
        excludeFields = copy(excludeFields, "excludeFields");
    }

    private static Set<String> copy(Set<String> fields, String name) {
        if (fields == null) {
            return Set.of();
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String f : fields) {
            if (f == null || f.isBlank()) {
                throw new CbadException.InvalidConfigException(name + " must not contain null or blank names");
            }
            sorted.add(f.strip());
        }
        return java.util.Collections.unmodifiableSet(sorted);
    }

    /**
     * @param kind what the events are
     * @return the default config for that kind: sensitivity 0.5, all fields, baseline 1000 events
     */
    public static DetectorConfig defaults(InputKind kind) {
        return new DetectorConfig(kind, DEFAULT_SENSITIVITY, Set.of(), Set.of(), DEFAULT_BASELINE_EVENTS);
    }

    /**
     * @param value new sensitivity 0..1
     * @return a copy with that sensitivity
     */
    public DetectorConfig withSensitivity(double value) {
        return new DetectorConfig(kind, value, includeFields, excludeFields, baselineEvents);
    }

    /**
     * @param include fields to analyse (empty: all)
     * @param exclude fields never analysed
     * @return a copy with those field filters
     */
    public DetectorConfig withFields(Set<String> include, Set<String> exclude) {
        return new DetectorConfig(kind, sensitivity, include, exclude, baselineEvents);
    }

    /**
     * @param events baseline size 64..8192
     * @return a copy with that baseline size
     */
    public DetectorConfig withBaselineEvents(int events) {
        return new DetectorConfig(kind, sensitivity, includeFields, excludeFields, events);
    }
}
