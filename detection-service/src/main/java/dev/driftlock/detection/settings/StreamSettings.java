package dev.driftlock.detection.settings;

import dev.driftlock.cbad.InputKind;
import java.time.Instant;
import java.util.List;

/**
 * Per-stream overrides.
 *
 * @param kind          input kind for a stream not yet started (null: chosen from its first event)
 * @param sensitivity   overrides the org's sensitivity (null: inherit)
 * @param includeFields only these fields are analysed (empty: all)
 * @param excludeFields fields never analysed
 * @param updatedAt     last change
 */
public record StreamSettings(InputKind kind, Double sensitivity, List<String> includeFields, List<String> excludeFields,
                             Instant updatedAt) {

    public static final StreamSettings NONE = new StreamSettings(null, null, List.of(), List.of(), null);
}
