{#-
    One row per delivery held in the history: label, as-of date, and the delivery before it in
    the history (the greatest as-of date below its own, null for the first). Incremental: each
    run adds (or replaces) the current delivery only, reading its own previous rows, so the
    history models find "the delivery before" here without scanning their own rows.
-#}

with

current_delivery as (

    select
        loaded.delivery,
        loaded.as_of_date
    from {{ ref('stg_loads__deliveries') }} as loaded
    where loaded.is_current

),

held_before as (

    {% if is_incremental() %}
        select
            held.delivery,
            held.as_of_date,
            row_number() over (order by held.as_of_date desc) as recency
        from {{ this }} as held
        inner join current_delivery
            on held.as_of_date < current_delivery.as_of_date
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as delivery,
            cast(null as date) as as_of_date,
            cast(null as bigint) as recency
        where false
    {% endif %}

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        held_before.delivery as previous_delivery,
        held_before.as_of_date as previous_as_of_date
    from current_delivery
    left join held_before
        on held_before.recency = 1

)

select
    final.delivery,
    final.as_of_date,
    final.previous_delivery,
    final.previous_as_of_date
from final
