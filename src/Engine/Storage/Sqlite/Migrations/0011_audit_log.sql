-- The audit log (AuditEntry), appended to and read, never updated. Ids sort newest first.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    parameters TEXT,
    result     TEXT NOT NULL,
    client     TEXT
) WITHOUT ROWID;

CREATE INDEX audit_log_by_time ON audit_log (at);
