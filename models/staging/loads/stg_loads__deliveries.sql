{#-
    One row per delivery in the raw layer (the loader's raw._deliveries), with whether it is the
    delivery the current marts show (macro current_delivery: var delivery, else the latest).
-#}
with

deliveries as (

    select * from {{ source('loads', 'deliveries') }}

),

final as (

    select
        deliveries.delivery,
        deliveries.as_of_date,
        deliveries.loaded_at,
        deliveries.delivery = {{ current_delivery() }} as is_current
    from deliveries

)

select * from final
