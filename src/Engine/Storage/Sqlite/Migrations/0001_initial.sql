-- Runs: one row per run, with its snapshot (the fold of its events) and the version that fences commits.
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    pipeline        TEXT NOT NULL,
    status          TEXT NOT NULL,
    trigger_name    TEXT NOT NULL,
    version         INTEGER NOT NULL,
    definition_hash TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    requested_at    INTEGER NOT NULL,
    started_at      INTEGER,
    ended_at        INTEGER,
    snapshot        TEXT NOT NULL
);
CREATE INDEX runs_by_pipeline_status ON runs (pipeline, status);
CREATE INDEX runs_by_requested ON runs (requested_at DESC);

-- The append-only event log; (run_id, seq) is also the split-brain fence: a second writer of the same seq fails.
CREATE TABLE events (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    at     INTEGER NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- Pinned definitions, stored once per hash.
CREATE TABLE plans (
    hash       TEXT PRIMARY KEY,
    pipeline   TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Both work queues. visible_at doubles as the lease end while a message is leased, and as the due time of timers.
CREATE TABLE work (
    id          INTEGER PRIMARY KEY,
    queue       TEXT NOT NULL,
    run_id      TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    body        TEXT NOT NULL,
    visible_at  INTEGER NOT NULL,
    deliveries  INTEGER NOT NULL DEFAULT 0,
    lease_token TEXT
);
CREATE INDEX work_by_due ON work (queue, visible_at);

CREATE TABLE dead_letters (
    id         INTEGER PRIMARY KEY,
    queue      TEXT NOT NULL,
    run_id     TEXT NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    deliveries INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_run ON dead_letters (run_id);

CREATE TABLE logs (
    id      INTEGER PRIMARY KEY,
    run_id  TEXT NOT NULL,
    block   TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    level   TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX logs_by_run ON logs (run_id, id);

-- Watermarks kept between runs of a pipeline.
CREATE TABLE checkpoints (
    pipeline   TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pipeline, name)
) WITHOUT ROWID;
