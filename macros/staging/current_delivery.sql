{#-
    The one definition of which delivery the current marts show: var('delivery') when given
    (e.g. --vars '{delivery: 2015-07}'), else the environment variable BDT_DELIVERY when set and
    not empty (how python -m scripts.build names each delivery: a change of vars makes dbt parse
    the whole project again, a changed environment variable only the files that read it), else
    the latest delivery of the raw layer (the greatest as-of date in raw._deliveries), chosen
    when the models run. A scalar SQL expression: the staging models keep the rows whose
    _delivery equals it.
-#}
{% macro current_delivery() -%}
    {%- set chosen = var('delivery', env_var('BDT_DELIVERY', '')) -%}
    {%- if chosen -%}
        '{{ chosen }}'
    {%- else -%}
        (
            select latest.delivery
            from {{ source('loads', 'deliveries') }} as latest
            order by latest.as_of_date desc
            limit 1
        )
    {%- endif -%}
{%- endmacro %}
