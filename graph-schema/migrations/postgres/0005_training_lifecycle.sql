-- 0005: the training-run lifecycle and the feedback watermark.
-- training_runs: the worker that claimed a run, its last heartbeat (a running run whose heartbeat is too
-- old is failed as stale) and its current stage message. The claim takes the oldest queued run.
ALTER TABLE training_runs ADD COLUMN worker_id text;
ALTER TABLE training_runs ADD COLUMN heartbeat_at timestamp with time zone;
ALTER TABLE training_runs ADD COLUMN message text;
CREATE INDEX training_runs_by_status ON training_runs (status, seq);

-- feedback_keys: a sequence number per feedback, so that a snapshot can record the highest feedback it
-- holds (its watermark). New feedback takes the identity's next value; feedback already stored is
-- numbered in the order it was received.
ALTER TABLE feedback_keys ADD COLUMN seq bigint;
UPDATE feedback_keys SET seq = o.n
FROM (SELECT idempotency_key AS k, row_number() OVER (ORDER BY received_at, idempotency_key) AS n FROM feedback_keys) AS o
WHERE o.k = feedback_keys.idempotency_key;
ALTER TABLE feedback_keys ALTER COLUMN seq SET NOT NULL;
ALTER TABLE feedback_keys ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('feedback_keys', 'seq'), COALESCE((SELECT MAX(seq) FROM feedback_keys), 0) + 1, false);
CREATE UNIQUE INDEX feedback_keys_seq ON feedback_keys (seq);
