-- The changed customers; with full_refresh every customer is reloaded.
select {{ blocks.count_changes }}.changed as changed_rows,
       {{ params.full_refresh }}          as full_refresh
