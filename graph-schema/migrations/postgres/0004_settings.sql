-- 0004: deployment settings shared by every instance on this store (e.g. the calibrated default cost
-- weight), one row per key, the value as JSON.
CREATE TABLE settings (
    key        text                     PRIMARY KEY NOT NULL,
    value_json jsonb                    NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
