-- Customers per country, from the greet block's output.
select country, count(*) as customers
from {{ blocks.greet }}
group by country
order by country
