{#-
    One row per BDT household and asset of the PBDT 2015 form: whether it is owned, the number
    of animals for livestock, and the area for land. The list below is the one place that says
    which raw column is which asset.
-#}
{%- set assets = [
    ('gas_cylinder', 'has_gas_cylinder_code', none, none),
    ('refrigerator', 'has_refrigerator_code', none, none),
    ('air_conditioner', 'has_air_conditioner_code', none, none),
    ('water_heater', 'has_water_heater_code', none, none),
    ('landline', 'has_landline_code', none, none),
    ('mobile_phone', 'has_mobile_phone_code', none, none),
    ('television', 'has_television_code', none, none),
    ('gold', 'has_gold_code', none, none),
    ('computer', 'has_computer_code', none, none),
    ('bicycle', 'has_bicycle_code', none, none),
    ('motorcycle', 'has_motorcycle_code', none, none),
    ('car', 'has_car_code', none, none),
    ('boat', 'has_boat_code', none, none),
    ('outboard_motor', 'has_outboard_motor_code', none, none),
    ('motor_boat', 'has_motor_boat_code', none, none),
    ('ship', 'has_ship_code', none, none),
    ('land', 'has_land_code', none, 'land_area_m2'),
    ('other_house', 'has_other_house_code', none, none),
    ('cattle', none, 'cattle_count', none),
    ('buffalo', none, 'buffalo_count', none),
    ('horse', none, 'horse_count', none),
    ('pig', none, 'pig_count', none),
    ('goat', none, 'goat_count', none),
] -%}

with

households as (

    select * from {{ ref('int_households__accepted') }}

),

assets as (

    {%- for asset, owned_column, count_column, area_column in assets %}
        select
            household_key,
            '{{ asset }}' as asset_code,
            {%- if owned_column %}
                case {{ owned_column }} when 1 then true when 2 then false end as is_owned,
            {%- else %}
                case when {{ count_column }} is not null then {{ count_column }} > 0 end as is_owned,
            {%- endif %}
            {{ count_column or 'cast(null as integer)' }} as quantity,
            {{ area_column or ('cast(null as ' ~ type_double() ~ ')') }} as area_m2
        from households
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select
    assets.household_key,
    assets.asset_code,
    assets.is_owned,
    assets.quantity,
    assets.area_m2
from assets
