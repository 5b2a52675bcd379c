-- ADR 0031: a streamed anomaly is an incident (flagged events of one cause within the gap) that grows.
-- incident_id is the engine's stream-local id (index of the first event): with org and stream it is
-- the natural key, so a replay or restart upserts the same row. Rows stored before incidents keep
-- incident_id null and count one event.
ALTER TABLE anomaly ADD COLUMN incident_id   BIGINT;
ALTER TABLE anomaly ADD COLUMN cause         TEXT;
ALTER TABLE anomaly ADD COLUMN events        BIGINT NOT NULL DEFAULT 1;
ALTER TABLE anomaly ADD COLUMN last_position BIGINT;
ALTER TABLE anomaly ADD COLUMN last_seen_at  TIMESTAMPTZ;
ALTER TABLE anomaly ADD COLUMN strongest     JSONB  NOT NULL DEFAULT '[]';
UPDATE anomaly SET last_position = position, last_seen_at = detected_at;
ALTER TABLE anomaly ALTER COLUMN last_position SET NOT NULL;
ALTER TABLE anomaly ALTER COLUMN last_seen_at SET NOT NULL;
CREATE UNIQUE INDEX anomaly_incident_key ON anomaly (org_id, stream_id, incident_id)
    WHERE source = 'stream' AND incident_id IS NOT NULL;

-- The live feed (ADR 0502) follows changes, not only inserts: every insert and every growth takes the
-- next feed_seq, so the feed sends the same anomaly id again with its new counts.
CREATE SEQUENCE anomaly_feed_seq;
ALTER TABLE anomaly ADD COLUMN feed_seq BIGINT;
UPDATE anomaly SET feed_seq = nextval('anomaly_feed_seq') WHERE feed_seq IS NULL;
ALTER TABLE anomaly ALTER COLUMN feed_seq SET DEFAULT nextval('anomaly_feed_seq');
ALTER TABLE anomaly ALTER COLUMN feed_seq SET NOT NULL;
ALTER TABLE anomaly ADD COLUMN changed_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX anomaly_org_feed_seq_idx ON anomaly (org_id, feed_seq);

-- Feedback for a stream's detector: "this cause is normal" (a false_positive PATCH). Applied on the
-- stream owner's loop (ADR 0500) at a committed offset, recorded with the snapshot that contains it.
CREATE TABLE stream_feedback (
    anomaly_id     UUID PRIMARY KEY REFERENCES anomaly (id),
    stream_key     TEXT        NOT NULL,
    cause          TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_at     TIMESTAMPTZ,
    applied_offset BIGINT,
    learned        BOOLEAN
);
CREATE INDEX stream_feedback_pending_idx ON stream_feedback (stream_key) WHERE applied_at IS NULL;
