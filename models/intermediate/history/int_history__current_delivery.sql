{#-
    One row: the delivery this run builds (the current delivery, macro current_delivery) with the
    delivery before it in the history. The history marts read their current and previous rows
    through it.
-#}
{{ config(materialized='table', partition_by=none) }}
with

current_delivery as (

    select loaded.delivery
    from {{ ref('stg_loads__deliveries') }} as loaded
    where loaded.is_current

),

final as (

    select
        held.delivery,
        held.as_of_date,
        held.previous_delivery,
        held.previous_as_of_date
    from {{ ref('int_history__deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.delivery

)

select
    final.delivery,
    final.as_of_date,
    final.previous_delivery,
    final.previous_as_of_date
from final
