-- 0005: the training-run lifecycle and the feedback watermark.
-- training_runs: the worker that claimed a run, its last heartbeat (a running run whose heartbeat is too
-- old is failed as stale) and its current stage message. The claim takes the oldest queued run.
ALTER TABLE training_runs ADD COLUMN worker_id TEXT;
ALTER TABLE training_runs ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE training_runs ADD COLUMN message TEXT;
CREATE INDEX training_runs_by_status ON training_runs (status, seq);

-- feedback_keys: the order in which feedback was committed, so that a snapshot can record the highest
-- feedback it holds (its watermark). The feedback writer assigns MAX(seq) + 1 under the write lock;
-- feedback already stored is numbered in the order it was received.
ALTER TABLE feedback_keys ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE feedback_keys SET seq = o.n
FROM (SELECT idempotency_key AS k, row_number() OVER (ORDER BY received_at, idempotency_key) AS n FROM feedback_keys) AS o
WHERE o.k = feedback_keys.idempotency_key;
CREATE UNIQUE INDEX feedback_keys_seq ON feedback_keys (seq);
