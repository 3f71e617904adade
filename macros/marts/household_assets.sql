{#-
    The assets of the PBDT 2015 form, the one place that says which column of
    int_households__accepted is which asset: (asset_code, yes/no code column, number of animals
    column, area column), each null when the asset has none. Read by fct_household_assets_wide
    (one column per asset) and fct_household_assets (its long form, one row per asset).
-#}
{% macro household_assets() -%}
    {{ return([
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
    ]) }}
{%- endmacro %}
