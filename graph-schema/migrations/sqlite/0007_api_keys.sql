-- 0007: API keys. A key is shown once when it is created and stored only as the SHA-256 of its text
-- (lowercase hex), so the table never holds anything a client could present. A revoked key stays, with
-- the time it was revoked, so logs that name its id keep meaning something. Names are unique among the
-- keys not revoked (a revoked name can be reused); ids are unique for ever.
CREATE TABLE api_keys (
    id          TEXT    PRIMARY KEY NOT NULL,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('app', 'admin')),
    secret_hash TEXT    NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) WITHOUT ROWID;

CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
