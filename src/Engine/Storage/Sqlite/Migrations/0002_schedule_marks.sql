-- How far each schedule has been handled (ScheduleMark); version fences concurrent schedule checks.
CREATE TABLE schedule_marks (
    pipeline        TEXT NOT NULL,
    schedule        TEXT NOT NULL,
    handled_through INTEGER NOT NULL,
    next_tick       INTEGER,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    PRIMARY KEY (pipeline, schedule)
) WITHOUT ROWID;
