-- GraphRouter schema 0001 for PostgreSQL: the graph's node and edge tables, and the service tables
-- beside them. Types follow graph-schema/schema.json.

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id text   NOT NULL UNIQUE
);

CREATE TABLE queries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id text   NOT NULL UNIQUE,
    task        text   NOT NULL DEFAULT '',
    text        text   NOT NULL
);

-- The Llm node table is also the model registry.
CREATE TABLE llms (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                     text    NOT NULL UNIQUE,
    vendor                   text    NOT NULL DEFAULT '',
    description              text    NOT NULL DEFAULT '',
    input_price_per_million  double precision,
    output_price_per_million double precision,
    available                boolean NOT NULL DEFAULT true
);

CREATE TABLE responses (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    query_id bigint NOT NULL REFERENCES queries (id),
    llm_id   bigint NOT NULL REFERENCES llms (id),
    text     text,
    score    double precision,
    cost_usd double precision,
    UNIQUE (query_id, llm_id)
);

-- One row per (user, conversation, step): the comparison that its turns share, with its query.
CREATE TABLE interactions (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint  NOT NULL REFERENCES users (id),
    conversation text    NOT NULL,
    step         integer NOT NULL CHECK (step >= 0),
    occurred_at  timestamp with time zone NOT NULL,
    query_id     bigint  NOT NULL REFERENCES queries (id),
    UNIQUE (user_id, conversation, step)
);
CREATE INDEX interactions_user_recent ON interactions (user_id, occurred_at DESC, id DESC);

CREATE TABLE turns (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    interaction_id bigint NOT NULL REFERENCES interactions (id),
    llm_id         bigint NOT NULL REFERENCES llms (id),
    response_id    bigint NOT NULL REFERENCES responses (id),
    rating         double precision NOT NULL,
    UNIQUE (interaction_id, llm_id)
);

CREATE TABLE turn_links (
    turn_id          bigint NOT NULL REFERENCES turns (id),
    previous_turn_id bigint NOT NULL REFERENCES turns (id),
    PRIMARY KEY (turn_id, previous_turn_id)
);

CREATE TABLE feedback_keys (
    idempotency_key text PRIMARY KEY,
    interaction_id  bigint REFERENCES interactions (id),
    received_at     timestamp with time zone NOT NULL
);

CREATE TABLE policies (
    version       text PRIMARY KEY,
    created_at    timestamp with time zone NOT NULL,
    path          text    NOT NULL,
    manifest_json jsonb   NOT NULL,
    metrics_json  jsonb,
    active        boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX policies_one_active ON policies (active) WHERE active;

CREATE TABLE training_runs (
    id             text PRIMARY KEY,
    status         text NOT NULL,
    progress       double precision NOT NULL DEFAULT 0,
    created_at     timestamp with time zone NOT NULL,
    started_at     timestamp with time zone,
    finished_at    timestamp with time zone,
    config_json    jsonb NOT NULL,
    metrics_json   jsonb,
    policy_version text REFERENCES policies (version),
    error          text
);
CREATE INDEX training_runs_recent ON training_runs (created_at DESC);

CREATE TABLE schema_migrations (
    version    integer PRIMARY KEY,
    name       text    NOT NULL,
    applied_at timestamp with time zone NOT NULL
);
