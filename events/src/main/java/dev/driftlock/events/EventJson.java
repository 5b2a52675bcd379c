package dev.driftlock.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The one JSON serde for envelopes, used by every producer and consumer. Writes ISO-8601
 * instants; reads tolerantly (unknown fields ignored) and reports what is wrong in
 * {@link MalformedEventException} messages fit for a dead-letter reason.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    public static String write(Envelope<?> envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + envelope.type(), e);
        }
    }

    public static byte[] writeBytes(Envelope<?> envelope) {
        return write(envelope).getBytes(StandardCharsets.UTF_8);
    }

    public static Envelope<DriftlockEvent> read(byte[] json) {
        if (json == null) {
            throw new MalformedEventException("record has no value");
        }
        return read(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * Parses an envelope.
     *
     * @throws UnknownEventTypeException for a well-formed envelope of an unknown type
     * @throws MalformedEventException   for anything else that is not a valid event
     */
    public static Envelope<DriftlockEvent> read(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("record has no value");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode envelope)) {
            throw new MalformedEventException("envelope must be a JSON object");
        }
        String typeName = text(envelope, "type");
        EventType type = EventType.byName(typeName).orElseThrow(() -> new UnknownEventTypeException(typeName));
        JsonNode data = envelope.get("data");
        if (data == null || !data.isObject()) {
            throw new MalformedEventException("'data' must be a JSON object");
        }
        int schemaVersion = envelope.path("schemaVersion").asInt(0);
        if (schemaVersion < 1 || schemaVersion > type.schemaVersion()) {
            throw new MalformedEventException(
                    "unsupported schemaVersion " + envelope.path("schemaVersion") + " for " + typeName);
        }
        try {
            UUID eventId = UUID.fromString(text(envelope, "eventId"));
            Instant occurredAt = Instant.parse(text(envelope, "occurredAt"));
            DriftlockEvent payload = MAPPER.treeToValue(data, type.payloadClass());
            return new Envelope<>(eventId, typeName, occurredAt, text(envelope, "orgId"), schemaVersion, payload);
        } catch (IOException e) {
            throw new MalformedEventException("invalid " + typeName + " data: " + rootMessage(e));
        } catch (RuntimeException e) {
            if (e instanceof MalformedEventException malformed) {
                throw malformed;
            }
            throw new MalformedEventException("invalid " + typeName + " envelope: " + rootMessage(e));
        }
    }

    /** The mapper settings for events, for consumers that need to read nested JSON the same way. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MalformedEventException("'" + field + "' is required and must be a non-empty string");
        }
        return value.asText();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
