{#-
    One row per household ever held in the history: the first and the last delivery it appeared
    in (by as-of date). Incremental, keyed on the household (delete+insert): a run rewrites the
    rows of the current delivery's households only, so "was it ever held before?" (status
    'returned' in fct_household_deliveries) is answered without reading every delivery.
-#}
{{ config(unique_key='household_key', partition_by=none) }}

with

current_delivery as (

    select
        loaded.delivery,
        loaded.as_of_date
    from {{ ref('stg_loads__deliveries') }} as loaded
    where loaded.is_current

),

households_now as (

    select
        held.household_key,
        held.delivery,
        held.as_of_date
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.delivery

),

final as (

    select
        households_now.household_key,
        {%- if is_incremental() %}
            case
                when seen.first_as_of_date < households_now.as_of_date then seen.first_delivery
                else households_now.delivery
            end as first_delivery,
            case
                when seen.first_as_of_date < households_now.as_of_date then seen.first_as_of_date
                else households_now.as_of_date
            end as first_as_of_date,
            case
                when seen.last_as_of_date > households_now.as_of_date then seen.last_delivery
                else households_now.delivery
            end as last_delivery,
            case
                when seen.last_as_of_date > households_now.as_of_date then seen.last_as_of_date
                else households_now.as_of_date
            end as last_as_of_date
        from households_now
        left join {{ this }} as seen
            on households_now.household_key = seen.household_key
        {%- else %}
            households_now.delivery as first_delivery,
            households_now.as_of_date as first_as_of_date,
            households_now.delivery as last_delivery,
            households_now.as_of_date as last_as_of_date
        from households_now
        {%- endif %}

)

select
    final.household_key,
    final.first_delivery,
    final.first_as_of_date,
    final.last_delivery,
    final.last_as_of_date
from final
