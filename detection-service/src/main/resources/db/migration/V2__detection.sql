-- Detection state, anomalies, settings and the outbox.

-- The input kind a stream's detector was created with, the offset its first event had (a
-- from-scratch rebuild replays from there) and how many anomalies it produced.
ALTER TABLE stream ADD COLUMN kind TEXT;
ALTER TABLE stream ADD COLUMN first_offset BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream ADD COLUMN anomalies BIGINT NOT NULL DEFAULT 0;
CREATE INDEX stream_partition_idx ON stream (last_partition);

-- The latest detector snapshot of a stream and the Kafka offset it reflects (written in the same
-- transaction as the effects of that offset).
CREATE TABLE stream_snapshot (
    stream_key      TEXT PRIMARY KEY REFERENCES stream (id),
    kafka_partition INTEGER     NOT NULL,
    kafka_offset    BIGINT      NOT NULL,
    snapshot        BYTEA       NOT NULL,
    taken_at        TIMESTAMPTZ NOT NULL
);

-- Client-supplied event ids seen per stream (key "orgId/streamId/eventId") and where the first
-- occurrence was: a later record with the same id is a retry and is ignored.
CREATE TABLE event_ref (
    ref_key         TEXT PRIMARY KEY,
    kafka_partition INTEGER     NOT NULL,
    kafka_offset    BIGINT      NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE anomaly (
    id          UUID PRIMARY KEY,
    seq         BIGSERIAL        NOT NULL UNIQUE,
    org_id      TEXT             NOT NULL,
    stream_id   TEXT             NOT NULL,
    source      TEXT             NOT NULL CHECK (source IN ('stream', 'monitor')),
    event_ref   TEXT             NOT NULL,
    position    BIGINT           NOT NULL,
    event       TEXT             NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    p_value     DOUBLE PRECISION NOT NULL,
    alpha       DOUBLE PRECISION NOT NULL,
    evidence    JSONB            NOT NULL,
    why         TEXT             NOT NULL,
    status      TEXT             NOT NULL CHECK (status IN ('new', 'acknowledged', 'resolved', 'false_positive')),
    note        TEXT,
    detected_at TIMESTAMPTZ      NOT NULL,
    created_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_org_seq_idx ON anomaly (org_id, seq);
CREATE INDEX anomaly_org_stream_seq_idx ON anomaly (org_id, stream_id, seq);

CREATE TABLE anomaly_status_change (
    id          BIGSERIAL PRIMARY KEY,
    anomaly_id  UUID        NOT NULL REFERENCES anomaly (id),
    from_status TEXT        NOT NULL,
    to_status   TEXT        NOT NULL,
    note        TEXT,
    principal   TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_status_change_anomaly_idx ON anomaly_status_change (anomaly_id, id);

-- Every settings write takes the next version, so the consumer finds changes cheaply.
CREATE SEQUENCE settings_version_seq;

CREATE TABLE org_settings (
    org_id      TEXT PRIMARY KEY,
    sensitivity DOUBLE PRECISION NOT NULL,
    version     BIGINT           NOT NULL,
    updated_at  TIMESTAMPTZ      NOT NULL
);

CREATE TABLE stream_settings (
    org_id         TEXT             NOT NULL,
    stream_id      TEXT             NOT NULL,
    kind           TEXT,
    sensitivity    DOUBLE PRECISION,
    include_fields TEXT[]           NOT NULL,
    exclude_fields TEXT[]           NOT NULL,
    version        BIGINT           NOT NULL,
    updated_at     TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (org_id, stream_id)
);

-- Transactional outbox: written with the state change, published in seq order by the relay.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    kafka_key    TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;
