-- The workspace a key is limited to (duraflow keys create --workspace), or NULL for every workspace. Keys made before
-- workspaces existed keep NULL, so they reach everything they reached before.
ALTER TABLE access_keys ADD COLUMN workspace TEXT;
