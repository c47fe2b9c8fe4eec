-- GraphRouter schema 0001 for SQLite: the graph's node and edge tables, and the service tables beside
-- them. Types follow graph-schema/schema.json (timestamps are Unix milliseconds UTC, booleans 0/1).

CREATE TABLE users (
    id          INTEGER PRIMARY KEY NOT NULL,
    external_id TEXT    NOT NULL UNIQUE
);

CREATE TABLE queries (
    id          INTEGER PRIMARY KEY NOT NULL,
    external_id TEXT    NOT NULL UNIQUE,
    task        TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL
);

-- The Llm node table is also the model registry.
CREATE TABLE llms (
    id                       INTEGER PRIMARY KEY NOT NULL,
    name                     TEXT    NOT NULL UNIQUE,
    vendor                   TEXT    NOT NULL DEFAULT '',
    description              TEXT    NOT NULL DEFAULT '',
    input_price_per_million  REAL,
    output_price_per_million REAL,
    available                INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1))
);

CREATE TABLE responses (
    id       INTEGER PRIMARY KEY NOT NULL,
    query_id INTEGER NOT NULL REFERENCES queries (id),
    llm_id   INTEGER NOT NULL REFERENCES llms (id),
    text     TEXT,
    score    REAL,
    cost_usd REAL,
    UNIQUE (query_id, llm_id)
);

-- One row per (user, conversation, step): the comparison that its turns share, with its query.
CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    conversation TEXT    NOT NULL,
    step         INTEGER NOT NULL CHECK (step >= 0),
    occurred_at  INTEGER NOT NULL,
    query_id     INTEGER NOT NULL REFERENCES queries (id),
    UNIQUE (user_id, conversation, step)
);
-- Covers a history read: a user's interactions newest first without touching the table.
CREATE INDEX interactions_user_recent ON interactions (user_id, occurred_at DESC, id DESC, conversation, step, query_id);

CREATE TABLE turns (
    id             INTEGER PRIMARY KEY NOT NULL,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id),
    llm_id         INTEGER NOT NULL REFERENCES llms (id),
    response_id    INTEGER NOT NULL REFERENCES responses (id),
    rating         REAL    NOT NULL,
    UNIQUE (interaction_id, llm_id)
);
-- An interaction's turns in the order they were stored, covering what a history read needs.
CREATE INDEX turns_by_interaction ON turns (interaction_id, id, llm_id, response_id, rating);

CREATE TABLE turn_links (
    turn_id          INTEGER NOT NULL REFERENCES turns (id),
    previous_turn_id INTEGER NOT NULL REFERENCES turns (id),
    PRIMARY KEY (turn_id, previous_turn_id)
) WITHOUT ROWID;

CREATE TABLE feedback_keys (
    idempotency_key TEXT    PRIMARY KEY NOT NULL,
    interaction_id  INTEGER REFERENCES interactions (id),
    received_at     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE policies (
    version       TEXT    PRIMARY KEY NOT NULL,
    created_at    INTEGER NOT NULL,
    path          TEXT    NOT NULL,
    manifest_json TEXT    NOT NULL,
    metrics_json  TEXT,
    active        INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX policies_one_active ON policies (active) WHERE active = 1;

CREATE TABLE training_runs (
    id             TEXT    PRIMARY KEY NOT NULL,
    status         TEXT    NOT NULL,
    progress       REAL    NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    started_at     INTEGER,
    finished_at    INTEGER,
    config_json    TEXT    NOT NULL,
    metrics_json   TEXT,
    policy_version TEXT    REFERENCES policies (version),
    error          TEXT
);
CREATE INDEX training_runs_recent ON training_runs (created_at DESC);

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
);
