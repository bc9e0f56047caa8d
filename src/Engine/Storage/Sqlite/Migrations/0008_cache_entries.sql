-- Cached block outputs (CacheEntry): one row per cache key, shared by every run of the store.
CREATE TABLE cache_entries (
    key          TEXT PRIMARY KEY,
    pipeline     TEXT NOT NULL,
    block        TEXT NOT NULL,
    output       TEXT NOT NULL,
    items        INTEGER,
    run_id       TEXT NOT NULL,
    instance_key TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER
) WITHOUT ROWID;

CREATE INDEX cache_entries_by_block ON cache_entries (pipeline, block, created_at);

-- A purge removes the entries of the runs it removes, whose outputs go with them.
CREATE INDEX cache_entries_by_run ON cache_entries (run_id);
