package dev.driftlock.cbad.quality;

import dev.driftlock.cbad.InputKind;

import java.util.List;

/**
 * A generated stream with ground truth.
 *
 * @param name      stream name
 * @param kind      input kind
 * @param events    raw events in order
 * @param incidents injected incidents (empty for normal-only streams)
 */
public record LabelledStream(String name, InputKind kind, List<String> events, List<Incident> incidents) {

    /**
     * An injected incident covering events [start, end).
     *
     * @param type  incident type
     * @param start first event
     * @param end   one past the last event
     */
    public record Incident(String type, int start, int end) {
    }
}
