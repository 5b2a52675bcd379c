-- An anomaly the customer marked false_positive (anomaly.retracted): it is taken off the usage of the
-- period that counted it, once per anomaly (the primary key decides, whatever the event id).
-- after_close: the period was already closed; its final figures stay, the retraction is recorded only.
CREATE TABLE anomaly_retraction (
    org_id       TEXT        NOT NULL,
    anomaly_id   TEXT        NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    detected_at  TIMESTAMPTZ NOT NULL,
    after_close  BOOLEAN     NOT NULL,
    retracted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, anomaly_id)
);
-- Retractions of a closed period's anomalies: not applied to its final (already billed) figures.
ALTER TABLE period_close ADD COLUMN retracted_after_close BIGINT NOT NULL DEFAULT 0;
