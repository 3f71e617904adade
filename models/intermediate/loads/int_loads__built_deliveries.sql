{#-
    The deliveries the history holds: one row per delivery a build has processed, with the load
    time of the raw rows it was built from. Incremental: each build adds (or replaces) the row of
    its current delivery (macro current_delivery). `python -m scripts.build` compares it with
    raw._deliveries to find the deliveries still to build (new ones, and ones loaded again), and
    builds them and every later delivery in date order.
-#}
{{
    config(
        materialized='incremental',
        unique_key='delivery',
        partition_by='delivery',
        incremental_strategy='delete+insert'
    )
}}

with

current_delivery as (

    select
        deliveries.delivery,
        deliveries.as_of_date,
        deliveries.loaded_at
    from {{ ref('stg_loads__deliveries') }} as deliveries
    where deliveries.is_current

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        current_delivery.loaded_at,
        {{ dbt.current_timestamp() }} as built_at
    from current_delivery

)

select * from final
