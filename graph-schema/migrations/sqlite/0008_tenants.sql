-- graphrouter:foreign-keys=off
-- 0008: tenants. A tenant owns users (and through them their interactions), feedback idempotency keys and API
-- keys; one tenant's user ids and idempotency keys never meet another's. The tenant 'default' always exists,
-- and everything stored before this migration belongs to it. Models, policies, training runs, queries and
-- responses stay shared by the whole deployment.
--
-- users and feedback_keys change their unique keys, which SQLite can only do by rebuilding the table. The
-- runner applies this migration with foreign keys off (the directive above: DROP TABLE users would otherwise
-- delete the rows interactions refer to), checks every foreign key with PRAGMA foreign_key_check before it
-- commits, and turns them on again afterwards. Row ids are kept, so every reference stays valid.
CREATE TABLE tenants (
    id                  TEXT    PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._-]*'),
    created_at          INTEGER NOT NULL,
    default_cost_weight REAL    CHECK (default_cost_weight >= 0)
) WITHOUT ROWID;
INSERT INTO tenants (id, created_at) VALUES ('default', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

-- users: unique per (tenant, external id). The history read and the feedback writer find a user through this
-- unique index, then read interactions_user_recent by users.id as before.
CREATE TABLE users_0008 (
    id          INTEGER PRIMARY KEY NOT NULL,
    external_id TEXT    NOT NULL,
    tenant_id   TEXT    NOT NULL DEFAULT 'default' REFERENCES tenants (id),
    UNIQUE (tenant_id, external_id)
);
INSERT INTO users_0008 (id, external_id, tenant_id) SELECT id, external_id, 'default' FROM users ORDER BY id;
DROP TABLE users;
ALTER TABLE users_0008 RENAME TO users;

-- feedback_keys: an idempotency key is unique within its tenant, so the same key sent by two tenants is two
-- independent feedbacks, and one tenant's key neither collides with nor reveals another's.
CREATE TABLE feedback_keys_0008 (
    idempotency_key     TEXT    NOT NULL,
    interaction_id      INTEGER REFERENCES interactions (id),
    received_at         INTEGER NOT NULL,
    request_fingerprint TEXT    NOT NULL DEFAULT '',
    decision_id         TEXT,
    seq                 INTEGER NOT NULL DEFAULT 0,
    tenant_id           TEXT    NOT NULL DEFAULT 'default' REFERENCES tenants (id),
    PRIMARY KEY (tenant_id, idempotency_key)
) WITHOUT ROWID;
INSERT INTO feedback_keys_0008 (idempotency_key, interaction_id, received_at, request_fingerprint, decision_id, seq, tenant_id)
SELECT idempotency_key, interaction_id, received_at, request_fingerprint, decision_id, seq, 'default' FROM feedback_keys;
DROP TABLE feedback_keys;
ALTER TABLE feedback_keys_0008 RENAME TO feedback_keys;
CREATE UNIQUE INDEX feedback_keys_seq ON feedback_keys (seq);

-- api_keys: the tenant whose users a key's requests address.
ALTER TABLE api_keys ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default' REFERENCES tenants (id);

-- change_log: a feedback change now names its user as 'tenant/user' (tenant ids have no '/').
UPDATE change_log SET key = 'default/' || key WHERE kind = 'feedback';
