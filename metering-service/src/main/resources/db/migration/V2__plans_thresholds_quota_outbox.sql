-- A counter carries the plan terms of its period, so history and charges stay right after plan changes.
ALTER TABLE usage_counter
    ADD COLUMN plan                 TEXT   NOT NULL DEFAULT 'developer',
    ADD COLUMN included_anomalies   BIGINT NOT NULL DEFAULT 1000,
    ADD COLUMN overage_price_micros BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN currency             TEXT   NOT NULL DEFAULT 'usd';
ALTER TABLE usage_counter
    ALTER COLUMN plan DROP DEFAULT,
    ALTER COLUMN included_anomalies DROP DEFAULT,
    ALTER COLUMN overage_price_micros DROP DEFAULT,
    ALTER COLUMN currency DROP DEFAULT;

-- Daily series for charts: anomalies by detection day, ingested events by receive day (never billed).
CREATE TABLE daily_usage (
    org_id          TEXT   NOT NULL,
    day             DATE   NOT NULL,
    anomalies       BIGINT NOT NULL DEFAULT 0,
    ingested_events BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, day)
);

-- Projection of billing's SubscriptionChanged: the latest revision per org wins.
CREATE TABLE subscription (
    org_id               TEXT        PRIMARY KEY,
    plan                 TEXT        NOT NULL,
    status               TEXT        NOT NULL,
    included_anomalies   BIGINT      NOT NULL,
    overage_price_micros BIGINT      NOT NULL,
    currency             TEXT        NOT NULL,
    period_start         TIMESTAMPTZ NOT NULL,
    period_end           TIMESTAMPTZ NOT NULL,
    revision             BIGINT      NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Projection of billing's DunningStateChanged: the latest revision per org wins.
CREATE TABLE dunning (
    org_id     TEXT        PRIMARY KEY,
    state      TEXT        NOT NULL CHECK (state IN ('ok', 'grace', 'suspended')),
    revision   BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An org's own quota policy; orgs without a row get the plan's default.
CREATE TABLE quota_policy (
    org_id                  TEXT        PRIMARY KEY,
    policy                  TEXT        NOT NULL CHECK (policy IN ('allow', 'soft_cap', 'hard_cap')),
    cap_percent             INT         NOT NULL,
    invoice_threshold_cents BIGINT      NOT NULL,
    updated_by              TEXT        NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Usage thresholds reached, one row per org, period and threshold: the row decides the one event.
CREATE TABLE usage_threshold (
    org_id            TEXT        NOT NULL,
    period_start      TIMESTAMPTZ NOT NULL,
    threshold_percent INT         NOT NULL,
    used_anomalies    BIGINT      NOT NULL,
    crossed_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, period_start, threshold_percent)
);

-- Invoice threshold steps reached, one row per org, period and step.
CREATE TABLE invoice_threshold_step (
    org_id        TEXT        NOT NULL,
    period_start  TIMESTAMPTZ NOT NULL,
    step          INT         NOT NULL,
    overage_cents BIGINT      NOT NULL,
    reached_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, period_start, step)
);

-- Last published quota state per org; the row is also the per-org lock every state change takes first.
-- state is null until a state other than ok was published.
CREATE TABLE quota_state (
    org_id             TEXT PRIMARY KEY,
    state              TEXT,
    reason             TEXT,
    policy             TEXT,
    used_anomalies     BIGINT,
    included_anomalies BIGINT,
    cap_percent        INT,
    period_end         TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ
);
CREATE INDEX quota_state_period_end ON quota_state (period_end);

-- Transactional outbox: written with the state change, relayed to Kafka in seq order.
CREATE TABLE outbox (
    seq          BIGSERIAL   PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    record_key   TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
