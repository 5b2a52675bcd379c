-- Closed billing periods: the final figures published in usage.period_closed, once per org and period
-- (the row decides the one event). late_anomalies: anomalies of the period counted after it was closed
-- (kept in the counter for history, never billed).
CREATE TABLE period_close (
    org_id             TEXT        NOT NULL,
    period_start       TIMESTAMPTZ NOT NULL,
    period_end         TIMESTAMPTZ NOT NULL,
    plan               TEXT        NOT NULL,
    included_anomalies BIGINT      NOT NULL,
    used_anomalies     BIGINT      NOT NULL,
    overage_anomalies  BIGINT      NOT NULL,
    overage_cents      BIGINT      NOT NULL,
    currency           TEXT        NOT NULL,
    closed_at          TIMESTAMPTZ NOT NULL,
    late_anomalies     BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, period_start)
);
CREATE INDEX usage_counter_period_end ON usage_counter (period_end);

-- Periods that had already ended (beyond the default settle delay) when this migration ran are marked
-- closed without an event: billing never had a final figure for them and must not bill them now, months late.
INSERT INTO period_close (org_id, period_start, period_end, plan, included_anomalies, used_anomalies, overage_anomalies,
                          overage_cents, currency, closed_at)
SELECT org_id, period_start, period_end, plan, included_anomalies, anomalies,
       greatest(0, anomalies - included_anomalies),
       (greatest(0, anomalies - included_anomalies) * overage_price_micros + 5000) / 10000,
       currency, now()
FROM usage_counter
WHERE period_end <= now() - interval '1 hour';
