package dev.driftlock.detection.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.driftlock.detection.settings.StreamSettings;
import java.time.Instant;

/**
 * A stream as the API shows it; {@code settings} and {@code effectiveSensitivity} only on
 * {@code GET/PUT /v1/streams/{id}}. A stream configured but without events yet has zero counts and
 * null times.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StreamView(String streamId, String kind, long eventsSeen, long anomalies, Instant firstEventAt, Instant lastEventAt,
                  StreamSettings settings, Double effectiveSensitivity) {

    StreamView withSettings(StreamSettings streamSettings, double effective) {
        return new StreamView(streamId, kind, eventsSeen, anomalies, firstEventAt, lastEventAt, streamSettings, effective);
    }
}
