-- Totals per order day of the cleaned orders, in one currency.
select order_date,
       count(*)    as orders,
       sum(amount) as total
from {{ blocks.clean_orders }}
where currency = {{ params.currency }}
group by order_date
order by order_date
