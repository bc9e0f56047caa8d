-- The deliveries of runs' alerts (AlertRecord): a row per alert, event, block and attempt, replaced as it is tried.
CREATE TABLE alert_deliveries (
    run_id      TEXT NOT NULL,
    key         TEXT NOT NULL,
    first_at    INTEGER NOT NULL,
    event       TEXT NOT NULL,
    destination TEXT NOT NULL,
    block       TEXT,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
