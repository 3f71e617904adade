{#- The days of dim_date, as MetricFlow's time spine (its name and column are MetricFlow's). -#}
select dim_date.date_day
from {{ ref('dim_date') }} as dim_date
