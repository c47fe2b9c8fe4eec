-- 0003: what the service's writes need beside the graph.
-- feedback_keys: the fingerprint of the request a key was accepted with (a replay with another payload
-- is a conflict) and the route decision the feedback answers.
ALTER TABLE feedback_keys ADD COLUMN request_fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback_keys ADD COLUMN decision_id TEXT;

-- policies: when each last became active. policy_activations: the activation log, used as a stack; a
-- rollback marks the top entry rolled back and re-activates the entry below it, so repeated rollbacks
-- walk further back. The policy active before this migration opens the log (its time unknown: now).
ALTER TABLE policies ADD COLUMN activated_at INTEGER;
CREATE TABLE policy_activations (
    id             INTEGER PRIMARY KEY NOT NULL,
    version        TEXT    NOT NULL REFERENCES policies (version),
    activated_at   INTEGER NOT NULL,
    rolled_back_at INTEGER
);
UPDATE policies SET activated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE active = 1;
INSERT INTO policy_activations (version, activated_at) SELECT version, activated_at FROM policies WHERE active = 1;

-- training_runs: an explicit queue order (runs queued within one millisecond share created_at).
ALTER TABLE training_runs ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE training_runs SET seq = rowid;
CREATE UNIQUE INDEX training_runs_queue ON training_runs (seq);
DROP INDEX training_runs_recent;
