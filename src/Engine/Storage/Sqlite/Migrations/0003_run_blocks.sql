-- Each block's state in its own row, so a commit rewrites the blocks it changed instead of the whole snapshot: in a
-- run of 10,000 blocks a finished block costs one row, not the run. runs.snapshot keeps the rest of the state.
CREATE TABLE run_blocks (
    run_id TEXT NOT NULL,
    key    TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

-- Runs stored before this version carry their blocks inside the snapshot; move them out.
INSERT INTO run_blocks (run_id, key, body)
SELECT runs.id, blocks.key, blocks.value FROM runs, json_each(runs.snapshot, '$.blocks') AS blocks;

UPDATE runs SET snapshot = json_remove(snapshot, '$.blocks') WHERE json_type(snapshot, '$.blocks') IS NOT NULL;
