-- 0003: what the service's writes need beside the graph.
-- feedback_keys: the fingerprint of the request a key was accepted with (a replay with another payload
-- is a conflict) and the route decision the feedback answers.
ALTER TABLE feedback_keys ADD COLUMN request_fingerprint text NOT NULL DEFAULT '';
ALTER TABLE feedback_keys ALTER COLUMN request_fingerprint DROP DEFAULT;
ALTER TABLE feedback_keys ADD COLUMN decision_id text;

-- policies: when each last became active. policy_activations: the activation log, used as a stack; a
-- rollback marks the top entry rolled back and re-activates the entry below it, so repeated rollbacks
-- walk further back. The policy active before this migration opens the log (its time unknown: now).
ALTER TABLE policies ADD COLUMN activated_at timestamp with time zone;
CREATE TABLE policy_activations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version        text   NOT NULL REFERENCES policies (version),
    activated_at   timestamp with time zone NOT NULL,
    rolled_back_at timestamp with time zone
);
UPDATE policies SET activated_at = now() WHERE active;
INSERT INTO policy_activations (version, activated_at) SELECT version, activated_at FROM policies WHERE active;

-- training_runs: an explicit queue order (runs queued within one instant share created_at).
ALTER TABLE training_runs ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX training_runs_queue ON training_runs (seq);
DROP INDEX training_runs_recent;
