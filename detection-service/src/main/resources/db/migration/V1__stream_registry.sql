-- Streams seen on the ingest topic; id = "<orgId>/<streamId>" (the Kafka key).
CREATE TABLE stream (
    id             TEXT PRIMARY KEY,
    org_id         TEXT        NOT NULL,
    stream_id      TEXT        NOT NULL,
    events_seen    BIGINT      NOT NULL,
    last_partition INTEGER     NOT NULL,
    last_offset    BIGINT      NOT NULL,
    first_event_at TIMESTAMPTZ NOT NULL,
    last_event_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT stream_org_stream_unique UNIQUE (org_id, stream_id)
);
CREATE INDEX stream_org_idx ON stream (org_id);
