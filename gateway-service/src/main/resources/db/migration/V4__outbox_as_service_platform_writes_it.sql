-- service-platform's outbox writer and relay use one column set in every service: the record key
-- is record_key, and created_at is the time the row was written.
ALTER TABLE outbox RENAME COLUMN msg_key TO record_key;
ALTER TABLE outbox ALTER COLUMN created_at SET DEFAULT now();
