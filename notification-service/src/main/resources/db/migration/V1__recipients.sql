-- Idempotent consumer: one row per consumed event and consumer, written with the effect.
CREATE TABLE processed_event (
    event_id     UUID        NOT NULL,
    consumer     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);

-- Who gets each org's e-mails.
CREATE TABLE org_recipients (
    org_id         TEXT PRIMARY KEY,
    org_name       TEXT    NOT NULL,
    billing_emails TEXT[]  NOT NULL,
    usage_emails   BOOLEAN NOT NULL DEFAULT TRUE,
    org_revision   BIGINT  NOT NULL DEFAULT 0
);
