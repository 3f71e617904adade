{#-
    The one definition of the publication's household indicators (columns of dim_household; the
    publication, the notebook and BI tools read them). The codes and thresholds are the dbt var
    household_indicators (dbt_project.yml). Three-valued: true, false, or null when the answer is
    unknown (a code is null when blank or outside its code list), as SQL's `in` gives it.
      has_disabled_or_ill_member  a member disabled or chronically ill; false when every member
                                  is known to be neither (or there is no member row), null when
                                  none is but some member's answer is unknown
      is_crowded                  floor area per member under the threshold; null when the area
                                  is unknown or there is no member row
      head_sector_group           the group of the head's lapangan usaha, only for a head who
                                  worked (the sector is asked only of them); null otherwise
      is_leakage_target_desil     desil in the leakage target (desil 1-2), false for non-desil
-#}
{%- set rules = var('household_indicators') -%}
with

households as (

    select
        household_id,
        floor_area_m2,
        floor_material_code,
        wall_material_code,
        lighting_source_code,
        drinking_water_source_code,
        toilet_facility_code,
        cooking_fuel_code
    from {{ ref('int_households__accepted') }}

),

composition as (

    select
        household_id,
        member_count,
        disabled_member_count,
        chronically_ill_member_count,
        health_unknown_member_count,
        head_worked_code,
        head_business_sector_code
    from {{ ref('int_households__composition') }}

),

welfare as (

    select
        household_id,
        desil
    from {{ ref('int_households__welfare') }}

),

measured as (

    select
        households.household_id,
        households.floor_area_m2 / nullif(composition.member_count, 0) as floor_area_per_member_m2,
        households.floor_material_code,
        households.wall_material_code,
        households.lighting_source_code,
        households.drinking_water_source_code,
        households.toilet_facility_code,
        households.cooking_fuel_code,
        coalesce(composition.disabled_member_count, 0) as disabled_member_count,
        coalesce(composition.chronically_ill_member_count, 0) as chronically_ill_member_count,
        coalesce(composition.health_unknown_member_count, 0) as health_unknown_member_count,
        composition.head_worked_code,
        composition.head_business_sector_code,
        welfare.desil
    from households
    left join composition
        on households.household_id = composition.household_id
    left join welfare
        on households.household_id = welfare.household_id

),

final as (

    select
        household_id,
        floor_area_per_member_m2,
        floor_material_code in ({{ rules.earth_floor_codes | join(', ') }}) as has_earth_floor,
        wall_material_code in ({{ rules.bamboo_or_wood_wall_codes | join(', ') }})
            as has_bamboo_or_wood_walls,
        lighting_source_code in ({{ rules.not_pln_lighting_codes | join(', ') }})
            as lacks_pln_electricity,
        drinking_water_source_code in ({{ rules.unimproved_water_codes | join(', ') }})
            as has_unimproved_water,
        toilet_facility_code in ({{ rules.not_own_toilet_codes | join(', ') }})
            as lacks_own_toilet,
        cooking_fuel_code in ({{ rules.firewood_codes | join(', ') }}) as cooks_with_firewood,
        floor_area_per_member_m2 < {{ rules.crowded_under_m2_per_member }} as is_crowded,
        case
            when disabled_member_count > 0 or chronically_ill_member_count > 0 then true
            when health_unknown_member_count > 0 then null
            else false
        end as has_disabled_or_ill_member,
        case
            {%- for group, bounds in rules.head_sector_groups.items() %}
                when head_worked_code = 1
                    and head_business_sector_code between {{ bounds[0] }} and {{ bounds[1] }}
                    then '{{ group }}'
            {%- endfor %}
        end as head_sector_group,
        coalesce(desil in ({{ rules.leakage_target_desil | join(', ') }}), false)
            as is_leakage_target_desil
    from measured

)

select * from final
