select count(*) from {{ blocks.ordrs }}
