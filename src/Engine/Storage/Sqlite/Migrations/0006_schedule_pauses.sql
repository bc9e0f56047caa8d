-- Pipelines whose schedules are paused (SchedulePause); a row per paused pipeline, removed on resume.
CREATE TABLE schedule_pauses (
    pipeline  TEXT NOT NULL PRIMARY KEY,
    since     INTEGER NOT NULL,
    paused_by TEXT NOT NULL,
    reason    TEXT
) WITHOUT ROWID;
