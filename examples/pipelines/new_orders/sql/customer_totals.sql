-- The orders of the files this run read for the first time, totalled per customer.
select customer,
       count(*)    as orders,
       sum(amount) as total
from {{ blocks.landed_orders }}
group by customer
order by customer
