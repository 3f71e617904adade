{#-
    SCD type 2 of the BDT households over the deliveries of the history, on the tracked
    attributes (attributes_hash of fct_household_deliveries: region, size, desil, housing
    summary, programs). A version opens at the delivery where the household appears or its
    attributes change, and closes at the delivery where they change again or where the household
    is absent (a household absent from a delivery closes its version there; if it comes back a
    new version opens). valid_to is null while the version is open (the household is in the
    latest delivery of the history with those attributes): exactly one current version per
    household of the latest delivery, none for the others.
    Derived as a plain table from fct_household_deliveries with window functions (it reads every
    delivery of the history, unlike the incremental history facts).
-#}
{{ config(materialized='table', partition_by=none) }}
with

household_deliveries as (

    select
        deliveries.household_key,
        deliveries.delivery,
        deliveries.as_of_date,
        deliveries.attributes_hash,
        deliveries.village_code,
        deliveries.district_code,
        deliveries.regency_code,
        deliveries.member_count,
        deliveries.desil,
        deliveries.is_target_desil,
        deliveries.building_tenure_code,
        deliveries.floor_material_code,
        deliveries.wall_material_code,
        deliveries.roof_material_code,
        deliveries.lighting_source_code,
        deliveries.toilet_facility_code,
        deliveries.receives_pkh,
        deliveries.receives_kks,
        deliveries.receives_kis_pbi,
        deliveries.receives_kip,
        deliveries.receives_rastra_bpnt,
        deliveries.is_on_pkh_lists
    from {{ ref('fct_household_deliveries') }} as deliveries

),

history_deliveries as (

    select distinct
        household_deliveries.delivery,
        household_deliveries.as_of_date
    from household_deliveries

),

delivery_order as (

    select
        history_deliveries.delivery,
        history_deliveries.as_of_date,
        row_number() over (order by history_deliveries.as_of_date) as delivery_number,
        lead(history_deliveries.delivery) over (order by history_deliveries.as_of_date)
            as next_delivery,
        lead(history_deliveries.as_of_date) over (order by history_deliveries.as_of_date)
            as next_as_of_date
    from history_deliveries

),

presence as (

    select
        household_deliveries.household_key,
        household_deliveries.delivery,
        household_deliveries.as_of_date,
        household_deliveries.attributes_hash,
        delivery_order.delivery_number,
        delivery_order.next_delivery,
        delivery_order.next_as_of_date,
        lag(household_deliveries.attributes_hash) over household_window as previous_hash,
        lag(delivery_order.delivery_number) over household_window as previous_delivery_number
    from household_deliveries
    inner join delivery_order
        on household_deliveries.delivery = delivery_order.delivery
    window household_window as (
        partition by household_deliveries.household_key
        order by household_deliveries.as_of_date
    )

),

version_starts as (

    select
        presence.household_key,
        presence.delivery,
        presence.as_of_date,
        presence.delivery_number,
        presence.next_delivery,
        presence.next_as_of_date,
        case
            when presence.previous_delivery_number is null then 1
            when presence.previous_delivery_number < presence.delivery_number - 1 then 1
            when presence.previous_hash <> presence.attributes_hash then 1
            else 0
        end as is_version_start
    from presence

),

numbered as (

    select
        version_starts.household_key,
        version_starts.delivery,
        version_starts.as_of_date,
        version_starts.delivery_number,
        version_starts.next_delivery,
        version_starts.next_as_of_date,
        version_starts.is_version_start,
        sum(version_starts.is_version_start) over (
            partition by version_starts.household_key
            order by version_starts.as_of_date
            rows between unbounded preceding and current row
        ) as version_number
    from version_starts

),

version_ends as (

    -- the last delivery of each version: the delivery after it closes the version
    select
        numbered.household_key,
        numbered.version_number,
        numbered.next_delivery as closed_by_delivery,
        numbered.next_as_of_date as valid_to,
        row_number() over (
            partition by numbered.household_key, numbered.version_number
            order by numbered.as_of_date desc
        ) as recency
    from numbered

),

final as (

    select
        numbered.household_key,
        cast(numbered.version_number as integer) as version_number,
        numbered.as_of_date as valid_from,
        version_ends.valid_to,
        version_ends.valid_to is null as is_current,
        numbered.delivery as opened_by_delivery,
        version_ends.closed_by_delivery,
        household_deliveries.village_code,
        household_deliveries.district_code,
        household_deliveries.regency_code,
        household_deliveries.member_count,
        household_deliveries.desil,
        household_deliveries.is_target_desil,
        household_deliveries.building_tenure_code,
        household_deliveries.floor_material_code,
        household_deliveries.wall_material_code,
        household_deliveries.roof_material_code,
        household_deliveries.lighting_source_code,
        household_deliveries.toilet_facility_code,
        household_deliveries.receives_pkh,
        household_deliveries.receives_kks,
        household_deliveries.receives_kis_pbi,
        household_deliveries.receives_kip,
        household_deliveries.receives_rastra_bpnt,
        household_deliveries.is_on_pkh_lists,
        household_deliveries.attributes_hash
    from numbered
    inner join version_ends
        on numbered.household_key = version_ends.household_key
            and numbered.version_number = version_ends.version_number
            and version_ends.recency = 1
    inner join household_deliveries
        on numbered.household_key = household_deliveries.household_key
            and numbered.delivery = household_deliveries.delivery
    where numbered.is_version_start = 1

)

select
    final.household_key,
    final.version_number,
    final.valid_from,
    final.valid_to,
    final.is_current,
    final.opened_by_delivery,
    final.closed_by_delivery,
    final.village_code,
    final.district_code,
    final.regency_code,
    final.member_count,
    final.desil,
    final.is_target_desil,
    final.building_tenure_code,
    final.floor_material_code,
    final.wall_material_code,
    final.roof_material_code,
    final.lighting_source_code,
    final.toilet_facility_code,
    final.receives_pkh,
    final.receives_kks,
    final.receives_kis_pbi,
    final.receives_kip,
    final.receives_rastra_bpnt,
    final.is_on_pkh_lists,
    final.attributes_hash
from final
