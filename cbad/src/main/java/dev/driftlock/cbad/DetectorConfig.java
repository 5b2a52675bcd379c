package dev.driftlock.cbad;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of one detector (one stream).
 *
 * @param kind           what the events are
 * @param sensitivity    0.0 (fewest alarms) .. 1.0 (most alarms); mapped to a false-alarm level by
 *                       {@link Sensitivity#alpha(double)}; default 0.5
 * @param includeFields  if not empty, only these fields (JSON paths such as {@code user.id}, or
 *                       numeric field names) are analysed; a parent path includes its children;
 *                       ignored for TEXT streams (lines have no fields)
 * @param excludeFields  fields never analysed (applied after include)
 * @param baselineEvents how many recent normal events form the baseline (64..8192, default 1000)
 * @param entityKeys     entity key fields (JSON paths such as {@code card.hash}), at most 3, in
 *                       order of importance; empty (the default): found automatically from the
 *                       first 512 events
 * @param incidentGapEvents most events between two flagged events of one incident (1..100,000,
 *                       default 100)
 * @param incidentGapMillis most event time between two flagged events of one incident, when the
 *                       events carry a timestamp (0..86,400,000 ms, default 60,000)
 */
public record DetectorConfig(InputKind kind, double sensitivity, Set<String> includeFields,
                             Set<String> excludeFields, int baselineEvents, List<String> entityKeys,
                             int incidentGapEvents, long incidentGapMillis) {

    /** Default incident gap in events. */
    public static final int DEFAULT_GAP_EVENTS = 100;
    /** Default incident gap in event time. */
    public static final long DEFAULT_GAP_MILLIS = 60_000;

    /** A config with the default entity keys (automatic) and incident gaps. */
    public DetectorConfig(InputKind kind, double sensitivity, Set<String> includeFields, Set<String> excludeFields,
                          int baselineEvents) {
        this(kind, sensitivity, includeFields, excludeFields, baselineEvents, List.of(), DEFAULT_GAP_EVENTS,
                DEFAULT_GAP_MILLIS);
    }

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
        entityKeys = entityKeys == null ? List.of() : List.copyOf(entityKeys);
        if (entityKeys.size() > 3 || entityKeys.stream().anyMatch(k -> k == null || k.isBlank())) {
            throw new CbadException.InvalidConfigException("entityKeys must be at most 3 non-blank field names, got "
                    + entityKeys);
        }
        if (incidentGapEvents < 1 || incidentGapEvents > 100_000) {
            throw new CbadException.InvalidConfigException("incidentGapEvents must be within 1..100000, got "
                    + incidentGapEvents);
        }
        if (incidentGapMillis < 0 || incidentGapMillis > 86_400_000L) {
            throw new CbadException.InvalidConfigException("incidentGapMillis must be within 0..86400000, got "
                    + incidentGapMillis);
        }
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
        return new DetectorConfig(kind, value, includeFields, excludeFields, baselineEvents, entityKeys,
                incidentGapEvents, incidentGapMillis);
    }

    /**
     * @param include fields to analyse (empty: all)
     * @param exclude fields never analysed
     * @return a copy with those field filters
     */
    public DetectorConfig withFields(Set<String> include, Set<String> exclude) {
        return new DetectorConfig(kind, sensitivity, include, exclude, baselineEvents, entityKeys, incidentGapEvents,
                incidentGapMillis);
    }

    /**
     * @param events baseline size 64..8192
     * @return a copy with that baseline size
     */
    public DetectorConfig withBaselineEvents(int events) {
        return new DetectorConfig(kind, sensitivity, includeFields, excludeFields, events, entityKeys,
                incidentGapEvents, incidentGapMillis);
    }

    /**
     * @param keys entity key fields (empty: automatic)
     * @return a copy with those entity keys
     */
    public DetectorConfig withEntityKeys(List<String> keys) {
        return new DetectorConfig(kind, sensitivity, includeFields, excludeFields, baselineEvents, keys,
                incidentGapEvents, incidentGapMillis);
    }

    /**
     * @param events most events between two flags of one incident
     * @param millis most event time between two flags of one incident
     * @return a copy with those incident gaps
     */
    public DetectorConfig withIncidentGap(int events, long millis) {
        return new DetectorConfig(kind, sensitivity, includeFields, excludeFields, baselineEvents, entityKeys, events,
                millis);
    }
}
