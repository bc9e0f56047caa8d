-- API keys (AccessKey): only a salted hash of each secret. A name is unique among the keys not revoked, so a
-- revoked key's name can be given again while its row stays for the record.
CREATE TABLE access_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    pipelines  TEXT,
    salt       BLOB NOT NULL,
    hash       BLOB NOT NULL,
    session    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
) WITHOUT ROWID;

CREATE UNIQUE INDEX access_keys_live_name ON access_keys (name) WHERE revoked_at IS NULL;
