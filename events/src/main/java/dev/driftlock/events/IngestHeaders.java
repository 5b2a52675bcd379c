package dev.driftlock.events;

/**
 * Record headers of the {@link Topics#INGEST} topic. The record value is one customer event
 * (a JSON object or a text line); the key is {@code orgId/streamId} so one stream lives on one
 * partition.
 */
public final class IngestHeaders {

    /** The owning organization (required). */
    public static final String ORG_ID = "driftlock-org-id";
    /** The stream the event belongs to (required, 1-128 chars of [A-Za-z0-9._-]). */
    public static final String STREAM_ID = "driftlock-stream-id";
    /** Client-supplied event id (optional); makes retries idempotent. */
    public static final String EVENT_ID = "driftlock-event-id";

    private IngestHeaders() {
    }
}
