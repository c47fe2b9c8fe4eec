-- 0006: the change feed. One row per committed change that other instances must follow (feedback for a
-- user, the active policy, the model registry, a setting), written in the same transaction as the
-- change. origin is the writing store object's InstanceId, so an instance can skip its own changes.
-- Each insert also notifies the channel graphrouter_changes with the row's seq; PostgreSQL delivers a
-- notification at commit (never for a rolled-back transaction), so a listener wakes when the row is
-- readable. Concurrent transactions may commit out of seq order: a reader that sees a gap re-reads it.
CREATE TABLE change_log (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text                     NOT NULL,
    key        text                     NOT NULL,
    origin     text                     NOT NULL,
    changed_at timestamp with time zone NOT NULL
);
CREATE FUNCTION graphrouter_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('graphrouter_changes', NEW.seq::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION graphrouter_change_notify();
