-- The tables a service keeps for the platform's mechanisms (as docs/service-platform.md gives them),
-- plus what the module's tests need.
CREATE TABLE processed_event (
    event_id     UUID        NOT NULL,
    consumer     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);

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

-- The test consumer's effect: one row per applied event.
CREATE TABLE applied_event (
    seq      BIGSERIAL PRIMARY KEY,
    event_id UUID      NOT NULL,
    org_id   TEXT      NOT NULL
);

-- A crash between send and mark: while a row is here, marking outbox rows published fails.
CREATE TABLE relay_crash (armed BOOLEAN PRIMARY KEY);
CREATE FUNCTION relay_crash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM relay_crash) THEN
        RAISE EXCEPTION 'relay crashed between send and mark';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER relay_crash BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION relay_crash();
