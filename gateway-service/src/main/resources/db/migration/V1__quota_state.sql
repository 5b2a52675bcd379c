-- The quota state per org that the gateway enforces (from metering's compacted topic).
CREATE TABLE quota_state (
    org_id     TEXT PRIMARY KEY,
    state      TEXT        NOT NULL,
    reason     TEXT        NOT NULL,
    message    TEXT,
    decided_at TIMESTAMPTZ NOT NULL
);
