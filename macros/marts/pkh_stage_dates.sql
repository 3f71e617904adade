{#-
    First and last day of a PKH payment stage given its stage_index (year x stages per year +
    stage - 1, as in int_pkh__payments_resolved). With 4 stages a year a stage is a quarter.
-#}
{% macro pkh_stage_start_date(stage_index) -%}
    {%- set per_year = var('pkh_stages_per_year') -%}
    {{ make_date(
        'cast(floor(' ~ stage_index ~ ' / ' ~ per_year ~ '.0) as integer)',
        '(' ~ stage_index ~ ' % ' ~ per_year ~ ') * ' ~ (12 // per_year) ~ ' + 1',
        '1'
    ) }}
{%- endmacro %}

{% macro pkh_stage_end_date(stage_index) -%}
    cast({{ dbt.dateadd('day', -1, pkh_stage_start_date('(' ~ stage_index ~ ' + 1)')) }} as date)
{%- endmacro %}
