{#-
    One row per BDT household of the latest delivery of the history: when its tracked
    attributes last changed (the delivery that opened its current version in
    dim_household_history: its first appearance, a return, or a change of region, size, desil,
    housing summary or programs), the months from then to the latest as-of date, and whether it
    is due for re-verification (24 months or more without change, the CECAD rule).
-#}
{{ config(materialized='table', partition_by=none) }}
with

current_versions as (

    select
        versions.household_key,
        versions.opened_by_delivery,
        versions.valid_from
    from {{ ref('dim_household_history') }} as versions
    where versions.is_current

),

latest_delivery as (

    select
        deliveries.delivery,
        deliveries.as_of_date
    from {{ ref('fct_household_deliveries') }} as deliveries
    group by deliveries.delivery, deliveries.as_of_date
    order by deliveries.as_of_date desc
    limit 1

),

final as (

    select
        current_versions.household_key,
        latest_delivery.delivery,
        latest_delivery.as_of_date,
        current_versions.opened_by_delivery as last_changed_delivery,
        current_versions.valid_from as last_changed_date,
        cast(
            (
                extract(year from latest_delivery.as_of_date)
                - extract(year from current_versions.valid_from)
            ) * 12
            + extract(month from latest_delivery.as_of_date)
            - extract(month from current_versions.valid_from)
            as integer
        ) as months_since_change
    from current_versions
    cross join latest_delivery

)

select
    final.household_key,
    final.delivery,
    final.as_of_date,
    final.last_changed_delivery,
    final.last_changed_date,
    final.months_since_change,
    final.months_since_change >= 24 as is_due_for_reverification
from final
