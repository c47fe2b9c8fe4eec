-- 0008: tenants. A tenant owns users (and through them their interactions), feedback idempotency keys and API
-- keys; one tenant's user ids and idempotency keys never meet another's. The tenant 'default' always exists,
-- and everything stored before this migration belongs to it. Models, policies, training runs, queries and
-- responses stay shared by the whole deployment.
CREATE TABLE tenants (
    id                  text                     PRIMARY KEY NOT NULL CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
    created_at          timestamp with time zone NOT NULL,
    default_cost_weight double precision         CHECK (default_cost_weight >= 0)
);
INSERT INTO tenants (id, created_at) VALUES ('default', now());

-- users: unique per (tenant, external id). The history read and the feedback writer find a user through this
-- unique index, then read interactions_user_recent by users.id as before.
ALTER TABLE users ADD COLUMN tenant_id text NOT NULL DEFAULT 'default' REFERENCES tenants (id);
ALTER TABLE users DROP CONSTRAINT users_external_id_key;
ALTER TABLE users ADD CONSTRAINT users_tenant_id_external_id_key UNIQUE (tenant_id, external_id);

-- feedback_keys: an idempotency key is unique within its tenant, so the same key sent by two tenants is two
-- independent feedbacks, and one tenant's key neither collides with nor reveals another's.
ALTER TABLE feedback_keys ADD COLUMN tenant_id text NOT NULL DEFAULT 'default' REFERENCES tenants (id);
ALTER TABLE feedback_keys DROP CONSTRAINT feedback_keys_pkey;
ALTER TABLE feedback_keys ADD CONSTRAINT feedback_keys_pkey PRIMARY KEY (tenant_id, idempotency_key);

-- api_keys: the tenant whose users a key's requests address.
ALTER TABLE api_keys ADD COLUMN tenant_id text NOT NULL DEFAULT 'default' REFERENCES tenants (id);

-- change_log: a feedback change now names its user as 'tenant/user' (tenant ids have no '/').
UPDATE change_log SET key = 'default/' || key WHERE kind = 'feedback';
