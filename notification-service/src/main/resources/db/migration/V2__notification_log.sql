-- The notification log: one row per (event, recipient, kind), written as 'queued' before the
-- e-mail is handed to the provider, then moved to sent/failed (and delivered/bounced by webhooks).
CREATE TABLE notification (
    id              UUID        PRIMARY KEY,            -- also the provider idempotency key
    org_id          TEXT        NOT NULL,
    event_id        UUID        NOT NULL,
    kind            TEXT        NOT NULL,
    recipient       TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    html_body       TEXT        NOT NULL,
    text_body       TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'delivered', 'bounced')),
    provider        TEXT,
    provider_id     TEXT,
    failure_reason  TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (event_id, recipient, kind)
);
CREATE INDEX notification_org_created ON notification (org_id, created_at DESC, id);
CREATE INDEX notification_provider_id ON notification (provider_id) WHERE provider_id IS NOT NULL;

-- Facts already told per org (e.g. 'cap_reached/<period end>'): a second event reporting the same
-- fact, such as the compacted quota topic replaying a block, sends nothing.
CREATE TABLE notification_fact (
    org_id     TEXT        NOT NULL,
    fact_key   TEXT        NOT NULL,
    event_id   UUID        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, fact_key)
);
