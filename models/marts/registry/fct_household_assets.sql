{#-
    The long form of fct_household_assets_wide: one row per BDT household and asset of the PBDT
    2015 form (macro household_assets). A view (a table on Spark, whose BI copy reads tables
    only): the rows are stored once, in the wide table, and a query on one asset reads one
    branch of the union. Unique on (household_key, asset_code) by construction: each branch
    reads every row of the wide table (unique household_key) once, under its own asset_code.
-#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

households as (

    select * from {{ ref('fct_household_assets_wide') }}

),

assets as (

    {%- for asset, owned_column, count_column, area_column in household_assets() %}
        {%- set quantity = 'households.' ~ count_column if count_column else 'cast(null as integer)' %}
        {%- set area = 'cast(null as ' ~ type_double() ~ ')' %}
        {%- set area = 'households.' ~ area_column if area_column else area %}
        select
            households.household_key,
            '{{ asset }}' as asset_code,
            households.owns_{{ asset }} as is_owned,
            {{ quantity }} as quantity,
            {{ area }} as area_m2
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
