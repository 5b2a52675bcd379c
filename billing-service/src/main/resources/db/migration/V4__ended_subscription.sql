-- The org's last subscription that Stripe ended (canceled / incomplete_expired are terminal in Stripe):
-- a later non-ended event of it (e.g. an update of the same second arriving after the deletion) changes nothing.
ALTER TABLE customer ADD COLUMN ended_subscription_id TEXT;
