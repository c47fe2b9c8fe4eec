-- 0006: the change feed. One row per committed change that other instances must follow (feedback for a
-- user, the active policy, the model registry, a setting), written in the same transaction as the
-- change. seq only grows (AUTOINCREMENT: never reused, even after old rows are pruned), and SQLite
-- commits one writer at a time, so seq order is commit order. origin is the writing store object's
-- InstanceId, so an instance can skip its own changes.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    origin     TEXT    NOT NULL,
    changed_at INTEGER NOT NULL
);
