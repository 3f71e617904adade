{#-
    One row per BDT household and delivery it appears in: region, size, welfare, programs,
    housing summary, attributes_hash, and its status against the previous delivery of the
    history (new, continuing, returned, reregistered, split) with the predecessor of a
    re-registration or the parent of a split (fct_household_links). Incremental, keyed on the
    delivery: a run writes the current delivery's rows, reading the previous delivery only.
-#}

with

current_delivery as (

    select
        held.delivery,
        held.previous_delivery
    from {{ ref('int_history__current_delivery') }} as held

),

households_now as (

    select
        held.delivery,
        held.as_of_date,
        held.household_key,
        held.village_code,
        held.district_code,
        held.regency_code,
        held.member_count,
        held.welfare_percentile,
        held.desil,
        held.is_target_desil,
        held.receives_pkh,
        held.receives_kks,
        held.receives_kis_pbi,
        held.receives_kip,
        held.receives_rastra_bpnt,
        held.is_on_pkh_lists,
        held.building_tenure_code,
        held.floor_material_code,
        held.wall_material_code,
        held.roof_material_code,
        held.lighting_source_code,
        held.toilet_facility_code,
        held.attributes_hash
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.delivery

),

households_before as (

    select held.household_key
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.previous_delivery

),

links as (

    select
        household_links.successor_household_key,
        household_links.predecessor_household_key,
        household_links.link_kind
    from {{ ref('fct_household_links') }} as household_links
    inner join current_delivery
        on household_links.delivery = current_delivery.delivery

),

seen as (

    select
        households_seen.household_key,
        households_seen.first_as_of_date
    from {{ ref('int_history__households_seen') }} as households_seen

),

final as (

    select
        households_now.household_key,
        households_now.delivery,
        households_now.as_of_date,
        households_now.village_code,
        households_now.district_code,
        households_now.regency_code,
        households_now.member_count,
        households_now.welfare_percentile,
        households_now.desil,
        households_now.is_target_desil,
        households_now.receives_pkh,
        households_now.receives_kks,
        households_now.receives_kis_pbi,
        households_now.receives_kip,
        households_now.receives_rastra_bpnt,
        households_now.is_on_pkh_lists,
        households_now.building_tenure_code,
        households_now.floor_material_code,
        households_now.wall_material_code,
        households_now.roof_material_code,
        households_now.lighting_source_code,
        households_now.toilet_facility_code,
        households_now.attributes_hash,
        case
            when households_before.household_key is not null then 'continuing'
            when links.link_kind = 'reregistration' then 'reregistered'
            when links.link_kind = 'split' then 'split'
            when seen.first_as_of_date < households_now.as_of_date then 'returned'
            else 'new'
        end as delivery_status,
        case
            when households_before.household_key is null then links.predecessor_household_key
        end as predecessor_household_key,
        current_delivery.previous_delivery
    from households_now
    cross join current_delivery
    left join households_before
        on households_now.household_key = households_before.household_key
    left join links
        on households_now.household_key = links.successor_household_key
    left join seen
        on households_now.household_key = seen.household_key

)

select
    final.household_key,
    final.delivery,
    final.as_of_date,
    final.village_code,
    final.district_code,
    final.regency_code,
    final.member_count,
    final.welfare_percentile,
    final.desil,
    final.is_target_desil,
    final.receives_pkh,
    final.receives_kks,
    final.receives_kis_pbi,
    final.receives_kip,
    final.receives_rastra_bpnt,
    final.is_on_pkh_lists,
    final.building_tenure_code,
    final.floor_material_code,
    final.wall_material_code,
    final.roof_material_code,
    final.lighting_source_code,
    final.toilet_facility_code,
    final.attributes_hash,
    final.delivery_status,
    final.predecessor_household_key,
    final.previous_delivery
from final
