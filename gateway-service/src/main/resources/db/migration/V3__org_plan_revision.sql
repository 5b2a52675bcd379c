-- The org's plan follows billing's subscription_changed events: the newest revision wins.
ALTER TABLE org ADD COLUMN plan_revision BIGINT NOT NULL DEFAULT 0;
