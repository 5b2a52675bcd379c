package dev.driftlock.detection.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.events.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One validated record of the ingest topic.
 *
 * @param orgId     owning org (header {@link IngestHeaders#ORG_ID})
 * @param streamId  stream (header {@link IngestHeaders#STREAM_ID})
 * @param eventId   client-supplied id, or null
 * @param body      the event (JSON object or text line)
 * @param partition Kafka partition
 * @param offset    Kafka offset: the event's position
 * @param timestamp record timestamp
 */
record IngestRecord(String orgId, String streamId, String eventId, String body, int partition, long offset, Instant timestamp) {

    static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stream's key: the Kafka record key and the {@code stream} table id. */
    String key() {
        return orgId + "/" + streamId;
    }

    /** The key of the client event id in {@code event_ref}, or null without one. */
    String refKey() {
        return eventId == null ? null : key() + "/" + eventId;
    }

    /** Validates a raw record; the exception message is the dead-letter reason. */
    static IngestRecord of(ConsumerRecord<String, String> record) {
        String orgId = header(record, IngestHeaders.ORG_ID);
        String streamId = header(record, IngestHeaders.STREAM_ID);
        if (orgId == null || !ORG_ID.matcher(orgId).matches()) {
            throw new MalformedIngestRecordException("header " + IngestHeaders.ORG_ID + " is missing or invalid");
        }
        if (streamId == null || !STREAM_ID.matcher(streamId).matches()) {
            throw new MalformedIngestRecordException("header " + IngestHeaders.STREAM_ID
                    + " is missing or invalid (1-128 characters of A-Z a-z 0-9 . _ -)");
        }
        String value = record.value();
        if (value == null || value.isBlank()) {
            throw new MalformedIngestRecordException("record has no event (empty value)");
        }
        String trimmed = value.strip();
        if (trimmed.startsWith("[") && isJsonArray(trimmed)) {
            throw new MalformedIngestRecordException("one event per record: a JSON array is not accepted");
        }
        String eventId = header(record, IngestHeaders.EVENT_ID);
        if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
            throw new MalformedIngestRecordException("header " + IngestHeaders.EVENT_ID
                    + " is invalid (1-128 characters of A-Z a-z 0-9 . _ : -)");
        }
        return new IngestRecord(orgId, streamId, eventId, trimmed, record.partition(),
                record.offset(), Instant.ofEpochMilli(record.timestamp()));
    }

    private static boolean isJsonArray(String value) {
        try {
            return JSON.readTree(value).isArray();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
