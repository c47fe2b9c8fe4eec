-- 0002: each interaction carries a packed copy of its turns, so that reading a user's history is one
-- covering-index range scan with one row per interaction (no per-turn rows, no joins).
-- Format: "llm_id,rating,response_id" per turn, in turn order, joined by ';'. The turns table stays the
-- source of truth; every writer of turns refreshes the packed copy in the same transaction.
ALTER TABLE interactions ADD COLUMN turns_packed TEXT;

UPDATE interactions SET turns_packed = p.packed
FROM (SELECT t.interaction_id AS id,
             group_concat(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) AS packed
      FROM turns t GROUP BY t.interaction_id) p
WHERE p.id = interactions.id;

DROP INDEX interactions_user_recent;
CREATE INDEX interactions_user_recent ON interactions (user_id, occurred_at DESC, id DESC, conversation, step, query_id, turns_packed);
