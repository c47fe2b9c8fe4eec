-- 0007: API keys. A key is shown once when it is created and stored only as the SHA-256 of its text
-- (lowercase hex), so the table never holds anything a client could present. A revoked key stays, with
-- the time it was revoked, so logs that name its id keep meaning something. Names are unique among the
-- keys not revoked (a revoked name can be reused); ids are unique for ever.
CREATE TABLE api_keys (
    id          text                     PRIMARY KEY NOT NULL,
    name        text                     NOT NULL,
    role        text                     NOT NULL CHECK (role IN ('app', 'admin')),
    secret_hash text                     NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    created_at  timestamp with time zone NOT NULL,
    revoked_at  timestamp with time zone
);

CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
