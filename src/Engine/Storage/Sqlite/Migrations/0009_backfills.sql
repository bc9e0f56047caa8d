-- Backfills (Backfill): the whole record as JSON, with what listing and driving them filter on.
CREATE TABLE backfills (
    id         TEXT PRIMARY KEY,
    pipeline   TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX backfills_by_status ON backfills (status, created_at);
