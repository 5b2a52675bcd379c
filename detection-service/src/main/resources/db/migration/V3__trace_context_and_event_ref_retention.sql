-- W3C trace context of the detection that found an anomaly (ADR 0503): kept with the anomaly and
-- copied to its outbox row, whose relay puts it on the anomaly.detected record's header.
ALTER TABLE anomaly ADD COLUMN traceparent TEXT;
ALTER TABLE outbox ADD COLUMN traceparent TEXT;

-- event_ref rows older than the retention are deleted in bounded batches (ADR 0504).
CREATE INDEX event_ref_created_at_idx ON event_ref (created_at);
