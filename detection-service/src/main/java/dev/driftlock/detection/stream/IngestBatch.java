package dev.driftlock.detection.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftlock.detection.problem.InvalidValuesException;
import dev.driftlock.detection.problem.MalformedBodyException;
import dev.driftlock.detection.problem.TooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A parsed {@code POST /v1/streams/{id}/events} body: a JSON array, or NDJSON (one item per line).
 * An item is an event (a JSON object, or a string for a text line) or the wrapper
 * {@code {"eventId": "...", "event": <object or string>}} carrying a client event id.
 */
record IngestBatch(List<Item> items) {

    /** One event: its client id (or null) and the record value (compact JSON or the text line). */
    record Item(String eventId, String value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRAPPER = Set.of("eventId", "event");

    static IngestBatch parse(byte[] body, boolean ndjson, int maxEvents, int maxBytes) {
        if (body.length > maxBytes) {
            throw new TooLargeException("the batch has " + body.length + " bytes; at most " + maxBytes + " are accepted");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (ndjson) {
            String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    nodes.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    throw new MalformedBodyException("NDJSON line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage());
                }
                if (nodes.size() > maxEvents) {
                    throw tooMany(maxEvents);
                }
            }
        } else {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (java.io.IOException e) {
                String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
                throw new MalformedBodyException("the body is not valid JSON: " + reason);
            }
            if (root == null || !root.isArray()) {
                throw new MalformedBodyException("the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)");
            }
            if (root.size() > maxEvents) {
                throw tooMany(maxEvents);
            }
            root.forEach(nodes::add);
        }
        if (nodes.isEmpty()) {
            throw new InvalidValuesException("the batch has no events");
        }
        List<Item> items = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            items.add(item(i, nodes.get(i)));
        }
        return new IngestBatch(items);
    }

    private static Item item(int index, JsonNode node) {
        String eventId = null;
        JsonNode event = node;
        if (node instanceof ObjectNode object && object.size() == 2 && fieldNames(object).equals(WRAPPER)) {
            JsonNode id = object.get("eventId");
            if (!id.isTextual() || !IngestRecord.EVENT_ID.matcher(id.asText()).matches()) {
                throw new InvalidValuesException("item " + index + ": eventId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            }
            eventId = id.asText();
            event = object.get("event");
        }
        if (event.isObject()) {
            return new Item(eventId, event.toString());
        }
        if (event.isTextual() && !event.asText().isBlank()) {
            if (event.asText().length() > 65536) {
                throw new InvalidValuesException("item " + index + ": a text event must be at most 65536 characters");
            }
            return new Item(eventId, event.asText().strip());
        }
        throw new InvalidValuesException("item " + index + ": an event must be a JSON object or a non-blank string");
    }

    private static Set<String> fieldNames(ObjectNode object) {
        Set<String> names = new java.util.HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static TooLargeException tooMany(int maxEvents) {
        return new TooLargeException("the batch has more than " + maxEvents + " events");
    }
}
