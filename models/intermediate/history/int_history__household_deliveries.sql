{#-
    One row per BDT household of the current delivery (marts.dim_household, PKH non-BDT families
    left out: they are appended from the PKH lists, not delivered in the registry's files), with
    the attributes the history follows and attributes_hash, a digest of the tracked attributes
    (region, size, desil, housing summary, programs): two deliveries of a household with the same
    hash are the same version in dim_household_history (the attributes hashed are listed in
    attributes_hash below; null written as ~). Incremental, keyed on the delivery.
-#}

with

current_delivery as (

    select
        loaded.delivery,
        loaded.as_of_date
    from {{ ref('stg_loads__deliveries') }} as loaded
    where loaded.is_current

),

households as (

    select
        dim_household.household_key,
        dim_household.village_code,
        dim_household.member_count,
        dim_household.welfare_percentile,
        dim_household.desil,
        dim_household.is_target_desil,
        dim_household.receives_pkh,
        dim_household.receives_kks,
        dim_household.receives_kis_pbi,
        dim_household.receives_kip,
        dim_household.receives_rastra_bpnt,
        dim_household.is_on_pkh_lists,
        dim_household.building_tenure_code,
        dim_household.floor_material_code,
        dim_household.wall_material_code,
        dim_household.roof_material_code,
        dim_household.lighting_source_code,
        dim_household.toilet_facility_code
    from {{ ref('dim_household') }} as dim_household
    where dim_household.household_source = 'BDT'

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        households.household_key,
        households.village_code,
        substr(households.village_code, 1, 7) as district_code,
        substr(households.village_code, 1, 4) as regency_code,
        households.member_count,
        households.welfare_percentile,
        households.desil,
        households.is_target_desil,
        households.receives_pkh,
        households.receives_kks,
        households.receives_kis_pbi,
        households.receives_kip,
        households.receives_rastra_bpnt,
        households.is_on_pkh_lists,
        households.building_tenure_code,
        households.floor_material_code,
        households.wall_material_code,
        households.roof_material_code,
        households.lighting_source_code,
        households.toilet_facility_code,
        md5(
            concat_ws(
                '|',
                coalesce(cast(households.village_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.member_count as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.desil as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.building_tenure_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.floor_material_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.wall_material_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.roof_material_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.lighting_source_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.toilet_facility_code as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.receives_pkh as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.receives_kks as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.receives_kis_pbi as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.receives_kip as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.receives_rastra_bpnt as {{ dbt.type_string() }}), '~'),
                coalesce(cast(households.is_on_pkh_lists as {{ dbt.type_string() }}), '~')
            )
        ) as attributes_hash
    from households
    cross join current_delivery

)

select
    final.delivery,
    final.as_of_date,
    final.household_key,
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
    final.attributes_hash
from final
