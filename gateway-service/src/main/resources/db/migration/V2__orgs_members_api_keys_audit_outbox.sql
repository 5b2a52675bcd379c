-- Tenancy: organizations and their members (OIDC subjects with a role).
CREATE TABLE org (
    id             TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    billing_emails TEXT[]      NOT NULL,
    plan           TEXT        NOT NULL DEFAULT 'developer',
    revision       BIGINT      NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE member (
    org_id   TEXT        NOT NULL REFERENCES org (id),
    user_id  TEXT        NOT NULL,
    email    TEXT,
    role     TEXT        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX member_user ON member (user_id);

-- API keys: only the lookup id and HMAC-SHA256(pepper, secret) are kept; the key is shown once.
CREATE TABLE api_key (
    id           TEXT PRIMARY KEY,
    org_id       TEXT        NOT NULL REFERENCES org (id),
    name         TEXT        NOT NULL,
    secret_hash  BYTEA       NOT NULL,
    scopes       TEXT[]      NOT NULL,
    streams      TEXT[],
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_key_org ON api_key (org_id);

-- Who changed keys and members, when.
CREATE TABLE audit_log (
    seq      BIGSERIAL PRIMARY KEY,
    org_id   TEXT        NOT NULL,
    actor    TEXT        NOT NULL,
    action   TEXT        NOT NULL,
    target   TEXT        NOT NULL,
    detail   TEXT,
    at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);

-- Transactional outbox: written with the state change, relayed to Kafka in seq order.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    msg_key      TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
