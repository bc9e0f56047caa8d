-- Each named limit's ledger (holders with their lease, recent takes); version fences concurrent takes.
CREATE TABLE limit_ledgers (
    name    TEXT NOT NULL PRIMARY KEY,
    ledger  TEXT NOT NULL,
    version INTEGER NOT NULL
) WITHOUT ROWID;
