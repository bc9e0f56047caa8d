-- The changed customers; with full_refresh every customer is reloaded.
select changed                  as changed_rows,
       {{ params.full_refresh }} as full_refresh
from {{ blocks.count_changes }}
