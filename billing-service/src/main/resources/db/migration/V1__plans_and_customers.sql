-- Idempotent consumer: one row per consumed event and consumer, written with the effect.
CREATE TABLE processed_event (
    event_id     UUID        NOT NULL,
    consumer     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);

-- The plan catalog. Prices: cents per month; overage in millionths of a dollar per anomaly.
CREATE TABLE plan (
    id                   TEXT PRIMARY KEY,
    name                 TEXT   NOT NULL,
    monthly_price_cents  BIGINT NOT NULL,
    included_anomalies   BIGINT NOT NULL,
    overage_price_micros BIGINT NOT NULL,
    currency             TEXT   NOT NULL
);
INSERT INTO plan (id, name, monthly_price_cents, included_anomalies, overage_price_micros, currency) VALUES
    ('developer', 'Developer', 0, 1000, 0, 'usd'),
    ('standard', 'Standard', 4900, 50000, 1000, 'usd'),
    ('growth', 'Growth', 24900, 500000, 500, 'usd');

-- Orgs as billing customers.
CREATE TABLE customer (
    org_id             TEXT PRIMARY KEY,
    name               TEXT        NOT NULL,
    billing_email      TEXT,
    plan_id            TEXT        NOT NULL REFERENCES plan (id),
    stripe_customer_id TEXT UNIQUE,
    created_at         TIMESTAMPTZ NOT NULL,
    org_revision       BIGINT      NOT NULL DEFAULT 0
);
