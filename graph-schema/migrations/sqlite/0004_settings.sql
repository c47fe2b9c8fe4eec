-- 0004: deployment settings shared by every instance on this store (e.g. the calibrated default cost
-- weight), one row per key, the value as JSON text.
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY NOT NULL,
    value_json TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
