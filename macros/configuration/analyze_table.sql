{#-
    Post-hook of every table model: on PostgreSQL, collect planner statistics at once (a table
    just created by CREATE TABLE AS has none until autovacuum passes, and the planner then picks
    nested loops over tens of thousands of rows). A no-op elsewhere.
-#}
{% macro analyze_table() -%}
    {%- if target.type == 'postgres' and model.config.materialized in ('table', 'incremental', 'seed') -%}
    analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
