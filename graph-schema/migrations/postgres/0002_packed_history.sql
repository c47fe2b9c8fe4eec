-- 0002: each interaction carries a packed copy of its turns, so that reading a user's history is one
-- index range scan with one row per interaction (no per-turn rows, no joins).
-- Format: "llm_id,rating,response_id" per turn, in turn order, joined by ';'. The turns table stays the
-- source of truth; every writer of turns refreshes the packed copy in the same transaction.
ALTER TABLE interactions ADD COLUMN turns_packed TEXT;

UPDATE interactions i SET turns_packed = p.packed
FROM (SELECT interaction_id,
             string_agg(llm_id || ',' || rating || ',' || response_id, ';' ORDER BY id) AS packed
      FROM turns GROUP BY interaction_id) p
WHERE p.interaction_id = i.id;
