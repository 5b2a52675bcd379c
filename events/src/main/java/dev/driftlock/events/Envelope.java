package dev.driftlock.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every DriftLock event shares on Kafka.
 *
 * <pre>{@code {"eventId": "...", "type": "anomaly.detected", "occurredAt": "2026-11-21T10:15:30Z",
 *  "orgId": "org_...", "schemaVersion": 1, "data": { ... }}}</pre>
 *
 * @param eventId       unique id of this event; consumers deduplicate on it
 * @param type          the event type name, see {@link EventType}
 * @param occurredAt    when the fact happened (not when it was published)
 * @param orgId         the organization the event belongs to; also the Kafka key
 * @param schemaVersion version of the payload schema of {@code type}
 * @param data          the payload
 */
public record Envelope<E extends DriftlockEvent>(
        UUID eventId, String type, Instant occurredAt, String orgId, int schemaVersion, E data) {

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(data, "data");
        if (orgId.isBlank()) {
            throw new IllegalArgumentException("orgId must not be blank");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1");
        }
    }

    /** Wraps {@code data} with the type name and schema version its class is registered with. */
    public static <E extends DriftlockEvent> Envelope<E> of(UUID eventId, String orgId, Instant occurredAt, E data) {
        EventType type = EventType.of(data);
        return new Envelope<>(eventId, type.typeName(), occurredAt, orgId, type.schemaVersion(), data);
    }
}
