-- The retention job deletes the idempotent-consumer records oldest first.
CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
