-- One period-end overage settlement per org and period (from metering's usage.period_closed): the final
-- overage, what mid-cycle invoices of the period billed, and the remainder invoiced (no invoice when 0).
CREATE TABLE period_end_invoice (
    org_id              TEXT        NOT NULL,
    period_start        TIMESTAMPTZ NOT NULL,
    period_end          TIMESTAMPTZ NOT NULL,
    final_overage_cents BIGINT      NOT NULL,
    mid_cycle_cents     BIGINT      NOT NULL,
    amount_cents        BIGINT      NOT NULL,
    stripe_invoice_id   TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, period_start)
);

-- When a stored Stripe event was last tried (retry_at is computed from it).
ALTER TABLE stripe_event ADD COLUMN last_attempt_at TIMESTAMPTZ;
