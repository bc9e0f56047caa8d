-- Whether a running run has a block waiting (for a signal, an approval, a timer, a child run or a limit), so that
-- `runs list --status waiting` reads the runs table alone, not every running run's blocks.
ALTER TABLE runs ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;

-- Runs stored before this version: count their waiting blocks and items into the snapshot's count, which later
-- commits keep, and into the new column. The summary of a block that runs per item is not counted on top of its
-- items: it is the waiting row that has an item count (a block that itself waits has produced no items yet).
UPDATE runs SET snapshot = json_set(snapshot, '$.waiting_blocks', (
    SELECT COUNT(*) FROM run_blocks
    WHERE run_blocks.run_id = runs.id AND json_extract(body, '$.status') = 'waiting' AND COALESCE(json_type(body, '$.items'), 'null') = 'null'))
WHERE status = 'running';

UPDATE runs SET waiting = 1 WHERE status = 'running' AND json_extract(snapshot, '$.waiting_blocks') > 0;
