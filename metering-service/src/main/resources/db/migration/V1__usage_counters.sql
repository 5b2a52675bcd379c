-- Idempotent consumer: one row per consumed event and consumer, written with the effect.
CREATE TABLE processed_event (
    event_id     UUID        NOT NULL,
    consumer     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);

-- Billable anomalies per org and billing period.
CREATE TABLE usage_counter (
    org_id       TEXT        NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    period_end   TIMESTAMPTZ NOT NULL,
    anomalies    BIGINT      NOT NULL,
    PRIMARY KEY (org_id, period_start)
);
