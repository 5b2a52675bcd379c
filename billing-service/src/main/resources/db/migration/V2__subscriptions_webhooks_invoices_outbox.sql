-- The customer row is also the org's subscription and dunning state.
-- *_as_of: the Stripe event `created` (epoch seconds) of the state applied last; an older event never overwrites it.
ALTER TABLE customer
    ADD COLUMN subscription_status    TEXT   NOT NULL DEFAULT 'active',
    ADD COLUMN stripe_subscription_id TEXT,
    ADD COLUMN period_start           TIMESTAMPTZ,
    ADD COLUMN period_end             TIMESTAMPTZ,
    ADD COLUMN subscription_as_of     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN dunning_state          TEXT   NOT NULL DEFAULT 'ok',
    ADD COLUMN grace_ends_at          TIMESTAMPTZ,
    ADD COLUMN dunning_invoice_id     TEXT,
    ADD COLUMN revision               BIGINT NOT NULL DEFAULT 0;
CREATE INDEX customer_grace_ends ON customer (grace_ends_at) WHERE dunning_state = 'grace';

-- Every verified Stripe webhook event, stored once (Stripe's event id) and applied asynchronously.
CREATE TABLE stripe_event (
    id           TEXT PRIMARY KEY,
    type         TEXT        NOT NULL,
    created      BIGINT      NOT NULL,
    payload      TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    attempts     INT         NOT NULL DEFAULT 0,
    last_error   TEXT,
    retry_at     TIMESTAMPTZ,
    processed_at TIMESTAMPTZ,
    outcome      TEXT
);
CREATE INDEX stripe_event_pending ON stripe_event (created, id) WHERE processed_at IS NULL;

-- Mirror of the org's Stripe invoices.
CREATE TABLE invoice (
    stripe_invoice_id  TEXT PRIMARY KEY,
    org_id             TEXT        NOT NULL,
    kind               TEXT        NOT NULL,
    status             TEXT        NOT NULL,
    amount_due_cents   BIGINT      NOT NULL,
    amount_paid_cents  BIGINT      NOT NULL,
    currency           TEXT        NOT NULL,
    hosted_invoice_url TEXT,
    invoice_pdf_url    TEXT,
    period_start       TIMESTAMPTZ,
    period_end         TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX invoice_org_created ON invoice (org_id, created_at DESC);

-- One mid-cycle invoice per org, period and threshold step.
CREATE TABLE mid_cycle_invoice (
    org_id            TEXT        NOT NULL,
    period_start      TIMESTAMPTZ NOT NULL,
    step              INT         NOT NULL,
    stripe_invoice_id TEXT        NOT NULL,
    overage_cents     BIGINT      NOT NULL,
    amount_cents      BIGINT      NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, period_start, step)
);

-- Transactional outbox: written with the state change, published by the relay in seq order.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    record_key   TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

-- Every billing state change: what, why, Stripe ids, actor.
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    org_id     TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    action     TEXT        NOT NULL,
    detail     TEXT        NOT NULL,
    reason     TEXT        NOT NULL,
    stripe_ids TEXT,
    actor      TEXT        NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
