{#- One row per calendar day over var('date_spine_start') .. var('date_spine_end'), with PKH stages. -#}
with

days as (

    {{ date_spine(var('date_spine_start'), var('date_spine_end')) }}

)

select
    days.date_day,
    cast(extract(year from days.date_day) as integer) as year_number,
    cast(extract(quarter from days.date_day) as integer) as quarter_number,
    cast(extract(month from days.date_day) as integer) as month_number,
    cast(extract(day from days.date_day) as integer) as day_of_month,
    cast(extract(year from days.date_day) as integer) * {{ var('pkh_stages_per_year') }}
    + cast(floor((extract(month from days.date_day) - 1) * {{ var('pkh_stages_per_year') }} / 12) as integer)
        as pkh_stage_index,
    cast(floor((extract(month from days.date_day) - 1) * {{ var('pkh_stages_per_year') }} / 12) as integer)
    + 1
        as pkh_stage
from days
