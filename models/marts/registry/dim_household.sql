{#-
    One row per household: the BDT households that passed the quarantine, and the PKH
    families not found in the BDT (source "PKH non-BDT", appended as in the BDT 2017 update).
    No name, address, IDBDT or NIK: household_key is a keyed pseudonym of the IDBDT (of the
    IDPKH for PKH non-BDT families).
-#}
with

bdt_households as (

    select * from {{ ref('int_households__accepted') }}

),

composition as (

    select * from {{ ref('int_households__composition') }}

),

welfare as (

    select * from {{ ref('int_households__welfare') }}

),

programs as (

    select * from {{ ref('int_households__programs') }}

),

indicators as (

    select * from {{ ref('int_households__indicators') }}

),

pkh_families as (

    select * from {{ ref('int_pkh__families') }}

),

pkh_non_bdt_families as (

    select * from {{ ref('int_pkh__non_bdt_families') }}

),

pkh_bdt_households as (

    select distinct matched_household_id
    from pkh_families
    where matched_household_id is not null

),

bdt as (

    select
        bdt_households.household_key,
        'BDT' as household_source,
        bdt_households.bps_village_code as village_code,
        bdt_households.sls_name,
        coalesce(composition.member_count, 0) as member_count,
        bdt_households.reported_member_count,
        coalesce(composition.family_count, 0) as family_count,
        coalesce(composition.head_count, 0) as head_count,
        coalesce(composition.spouse_count, 0) as spouse_count,
        coalesce(composition.dependent_count, 0) as dependent_count,
        coalesce(composition.elderly_count, 0) as elderly_count,
        coalesce(composition.working_member_count, 0) as working_member_count,
        coalesce(composition.other_working_member_count, 0) as other_working_member_count,
        coalesce(composition.working_spouse_count, 0) as working_spouse_count,
        coalesce(composition.working_age_count, 0) as working_age_count,
        coalesce(composition.children_0_6_count, 0) as children_0_6_count,
        coalesce(composition.children_7_12_count, 0) as children_7_12_count,
        coalesce(composition.children_13_15_count, 0) as children_13_15_count,
        coalesce(composition.children_16_18_count, 0) as children_16_18_count,
        coalesce(composition.working_children_10_17_count, 0) as working_children_10_17_count,
        coalesce(composition.disabled_member_count, 0) as disabled_member_count,
        coalesce(composition.chronically_ill_member_count, 0) as chronically_ill_member_count,
        coalesce(composition.health_unknown_member_count, 0) as health_unknown_member_count,
        coalesce(composition.own_business_member_count, 0) as own_business_member_count,
        coalesce(composition.own_business_agriculture_member_count, 0)
            as own_business_agriculture_member_count,
        coalesce(composition.own_business_industry_member_count, 0)
            as own_business_industry_member_count,
        coalesce(composition.own_business_services_member_count, 0)
            as own_business_services_member_count,
        coalesce(composition.family_planning_women_15_49_count, 0)
            as family_planning_women_15_49_count,
        coalesce(composition.family_planning_users_15_49_count, 0)
            as family_planning_users_15_49_count,
        coalesce(composition.family_planning_unknown_15_49_count, 0)
            as family_planning_unknown_15_49_count,
        coalesce(composition.children_0_17_count, 0) as children_0_17_count,
        coalesce(composition.children_0_17_with_birth_certificate_count, 0)
            as children_0_17_with_birth_certificate_count,
        coalesce(composition.children_0_17_documents_unknown_count, 0)
            as children_0_17_documents_unknown_count,
        composition.head_sex_code,
        composition.head_age,
        composition.head_marital_status_code,
        composition.head_diploma_code,
        composition.head_implied_diploma_code,
        composition.head_worked_code,
        composition.head_business_sector_code,
        composition.head_employment_status_code,
        bdt_households.building_tenure_code,
        bdt_households.floor_area_m2,
        bdt_households.building_area_m2,
        bdt_households.member_business_code,
        bdt_households.floor_material_code,
        bdt_households.wall_material_code,
        bdt_households.roof_material_code,
        bdt_households.drinking_water_source_code,
        bdt_households.lighting_source_code,
        bdt_households.electricity_power_code,
        bdt_households.cooking_fuel_code,
        bdt_households.toilet_facility_code,
        bdt_households.toilet_type_code,
        bdt_households.sewage_disposal_code,
        welfare.welfare_percentile,
        welfare.desil,
        welfare.is_target_desil,
        welfare.priority_group,
        welfare.priority_rank,
        pkh_bdt_households.matched_household_id is not null as is_on_pkh_lists,
        coalesce(programs.receives_pkh, false) as receives_pkh,
        coalesce(programs.receives_kks, false) as receives_kks,
        coalesce(programs.receives_kis_pbi, false) as receives_kis_pbi,
        coalesce(programs.receives_kip, false) as receives_kip,
        coalesce(programs.receives_rastra_bpnt, false) as receives_rastra_bpnt,
        indicators.floor_area_per_member_m2,
        indicators.has_earth_floor,
        indicators.has_bamboo_or_wood_walls,
        indicators.lacks_pln_electricity,
        indicators.has_unimproved_water,
        indicators.lacks_own_toilet,
        indicators.cooks_with_firewood,
        indicators.is_crowded,
        indicators.has_disabled_or_ill_member,
        indicators.head_sector_group,
        indicators.is_leakage_target_desil
    from bdt_households
    left join composition
        on bdt_households.household_id = composition.household_id
    left join welfare
        on bdt_households.household_id = welfare.household_id
    left join pkh_bdt_households
        on bdt_households.household_id = pkh_bdt_households.matched_household_id
    left join programs
        on bdt_households.household_id = programs.household_id
    left join indicators
        on bdt_households.household_id = indicators.household_id

),

pkh_non_bdt as (

    select
        pkh_family_key as household_key,
        'PKH non-BDT' as household_source,
        bps_village_code as village_code,
        cast(null as {{ dbt.type_string() }}) as sls_name,
        cast(null as integer) as member_count,
        cast(null as integer) as reported_member_count,
        1 as family_count,
        {%- for column in [
            'head_count', 'spouse_count', 'dependent_count', 'elderly_count',
            'working_member_count', 'other_working_member_count', 'working_spouse_count',
            'working_age_count', 'children_0_6_count', 'children_7_12_count',
            'children_13_15_count', 'children_16_18_count', 'working_children_10_17_count',
            'disabled_member_count', 'chronically_ill_member_count',
            'health_unknown_member_count',
            'own_business_member_count',
            'own_business_agriculture_member_count',
            'own_business_industry_member_count',
            'own_business_services_member_count',
            'family_planning_women_15_49_count',
            'family_planning_users_15_49_count',
            'family_planning_unknown_15_49_count',
            'children_0_17_count',
            'children_0_17_with_birth_certificate_count',
            'children_0_17_documents_unknown_count',
            'head_sex_code', 'head_age',
            'head_marital_status_code', 'head_diploma_code', 'head_implied_diploma_code',
            'head_worked_code',
            'head_business_sector_code', 'head_employment_status_code', 'building_tenure_code'
        ] %}
            cast(null as integer) as {{ column }},
        {%- endfor %}
        cast(null as {{ type_double() }}) as floor_area_m2,
        cast(null as {{ type_double() }}) as building_area_m2,
        cast(null as integer) as member_business_code,
        {%- for column in [
            'floor_material_code', 'wall_material_code', 'roof_material_code',
            'drinking_water_source_code', 'lighting_source_code', 'electricity_power_code',
            'cooking_fuel_code', 'toilet_facility_code', 'toilet_type_code',
            'sewage_disposal_code', 'welfare_percentile', 'desil'
        ] %}
            cast(null as integer) as {{ column }},
        {%- endfor %}
        false as is_target_desil,
        cast(null as integer) as priority_group,
        cast(null as bigint) as priority_rank,
        true as is_on_pkh_lists,
        true as receives_pkh,
        false as receives_kks,
        false as receives_kis_pbi,
        false as receives_kip,
        false as receives_rastra_bpnt,
        cast(null as {{ type_double() }}) as floor_area_per_member_m2,
        {%- for column in [
            'has_earth_floor', 'has_bamboo_or_wood_walls', 'lacks_pln_electricity',
            'has_unimproved_water', 'lacks_own_toilet', 'cooks_with_firewood', 'is_crowded',
            'has_disabled_or_ill_member'
        ] %}
            cast(null as boolean) as {{ column }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as head_sector_group,
        false as is_leakage_target_desil
    from pkh_non_bdt_families

),

households as (

    select * from bdt
    union all
    select * from pkh_non_bdt

)

select
    households.household_key,
    households.household_source,
    households.village_code,
    households.sls_name,
    households.member_count,
    households.reported_member_count,
    households.family_count,
    households.head_count,
    households.spouse_count,
    households.dependent_count,
    households.elderly_count,
    households.working_member_count,
    households.other_working_member_count,
    households.working_spouse_count,
    households.working_age_count,
    households.children_0_6_count,
    households.children_7_12_count,
    households.children_13_15_count,
    households.children_16_18_count,
    households.working_children_10_17_count,
    households.disabled_member_count,
    households.chronically_ill_member_count,
    households.health_unknown_member_count,
    households.own_business_member_count,
    households.own_business_agriculture_member_count,
    households.own_business_industry_member_count,
    households.own_business_services_member_count,
    households.family_planning_women_15_49_count,
    households.family_planning_users_15_49_count,
    households.family_planning_unknown_15_49_count,
    households.children_0_17_count,
    households.children_0_17_with_birth_certificate_count,
    households.children_0_17_documents_unknown_count,
    households.head_sex_code,
    label_head_sex.label_en as head_sex_label_en,
    label_head_sex.label_id as head_sex_label_id,
    households.head_age,
    households.head_marital_status_code,
    households.head_diploma_code,
    label_head_diploma.label_en as head_diploma_label_en,
    label_head_diploma.label_id as head_diploma_label_id,
    households.head_implied_diploma_code,
    households.head_worked_code,
    households.head_business_sector_code,
    label_head_business_sector.label_en as head_business_sector_label_en,
    label_head_business_sector.label_id as head_business_sector_label_id,
    households.head_employment_status_code,
    households.building_tenure_code,
    label_building_tenure.label_en as building_tenure_label_en,
    label_building_tenure.label_id as building_tenure_label_id,
    households.floor_area_m2,
    households.floor_area_per_member_m2,
    households.building_area_m2,
    households.member_business_code,
    households.floor_material_code,
    label_floor_material.label_en as floor_material_label_en,
    label_floor_material.label_id as floor_material_label_id,
    households.wall_material_code,
    label_wall_material.label_en as wall_material_label_en,
    label_wall_material.label_id as wall_material_label_id,
    households.roof_material_code,
    label_roof_material.label_en as roof_material_label_en,
    label_roof_material.label_id as roof_material_label_id,
    households.drinking_water_source_code,
    label_drinking_water_source.label_en as drinking_water_source_label_en,
    label_drinking_water_source.label_id as drinking_water_source_label_id,
    households.lighting_source_code,
    label_lighting_source.label_en as lighting_source_label_en,
    label_lighting_source.label_id as lighting_source_label_id,
    households.electricity_power_code,
    label_electricity_power.label_en as electricity_power_label_en,
    label_electricity_power.label_id as electricity_power_label_id,
    households.cooking_fuel_code,
    label_cooking_fuel.label_en as cooking_fuel_label_en,
    label_cooking_fuel.label_id as cooking_fuel_label_id,
    households.toilet_facility_code,
    label_toilet_facility.label_en as toilet_facility_label_en,
    label_toilet_facility.label_id as toilet_facility_label_id,
    households.toilet_type_code,
    label_toilet_type.label_en as toilet_type_label_en,
    label_toilet_type.label_id as toilet_type_label_id,
    households.sewage_disposal_code,
    label_sewage_disposal.label_en as sewage_disposal_label_en,
    label_sewage_disposal.label_id as sewage_disposal_label_id,
    households.welfare_percentile,
    households.desil,
    coalesce(desil_band.label_id, 'Non-desil') as desil_label_id,
    coalesce(desil_band.label_en, 'Non-desil') as desil_label_en,
    households.is_target_desil,
    households.priority_group,
    households.priority_rank,
    households.is_on_pkh_lists,
    households.receives_pkh,
    households.receives_kks,
    households.receives_kis_pbi,
    households.receives_kip,
    households.receives_rastra_bpnt,
    households.has_earth_floor,
    households.has_bamboo_or_wood_walls,
    households.lacks_pln_electricity,
    households.has_unimproved_water,
    households.lacks_own_toilet,
    households.cooks_with_firewood,
    households.is_crowded,
    households.has_disabled_or_ill_member,
    households.head_sector_group,
    households.is_leakage_target_desil
from households
left join {{ ref('desil_bands') }} as desil_band
    on households.desil = desil_band.desil
{{ code_label_join('jnskel', 'households.head_sex_code', 'label_head_sex') }}
{{ code_label_join('ijazah_tertinggi', 'households.head_diploma_code', 'label_head_diploma') }}
{{ code_label_join('lapangan_usaha', 'households.head_business_sector_code', 'label_head_business_sector') }}
{{ code_label_join('sta_bangunan', 'households.building_tenure_code', 'label_building_tenure') }}
{{ code_label_join('lantai', 'households.floor_material_code', 'label_floor_material') }}
{{ code_label_join('dinding', 'households.wall_material_code', 'label_wall_material') }}
{{ code_label_join('atap', 'households.roof_material_code', 'label_roof_material') }}
{{ code_label_join(
    'sumber_airminum', 'households.drinking_water_source_code', 'label_drinking_water_source'
) }}
{{ code_label_join('sumber_penerangan', 'households.lighting_source_code', 'label_lighting_source') }}
{{ code_label_join('daya', 'households.electricity_power_code', 'label_electricity_power') }}
{{ code_label_join('bb_masak', 'households.cooking_fuel_code', 'label_cooking_fuel') }}
{{ code_label_join('fasbab', 'households.toilet_facility_code', 'label_toilet_facility') }}
{{ code_label_join('kloset', 'households.toilet_type_code', 'label_toilet_type') }}
{{ code_label_join('buang_tinja', 'households.sewage_disposal_code', 'label_sewage_disposal') }}
