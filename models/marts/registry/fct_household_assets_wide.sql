{#-
    One row per BDT household (reaching the marts) with its answer on each asset of the PBDT 2015
    form (macro household_assets): owns_<asset>, the number of animals and the area of land
    elsewhere. fct_household_assets is its long form (a view: one row per household and asset).
-#}
{%- set amounts = [] -%}
{%- for asset, owned_column, count_column, area_column in household_assets() -%}
    {%- do amounts.append(area_column) if area_column -%}
    {%- do amounts.append(count_column) if count_column -%}
{%- endfor %}

with

households as (

    select * from {{ ref('int_households__accepted') }}

)

select
    households.household_key,
    {%- for asset, owned_column, count_column, area_column in household_assets() %}
        {%- if owned_column %}
            case households.{{ owned_column }} when 1 then true when 2 then false end
        {%- else %}
            case
                when households.{{ count_column }} is not null then households.{{ count_column }} > 0
            end
        {%- endif %} as owns_{{ asset }},
    {%- endfor %}
    {%- for amount in amounts %}
        households.{{ amount }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from households
