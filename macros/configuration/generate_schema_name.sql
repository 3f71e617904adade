{#-
    Schemas are named for what they hold (staging, intermediate, marts, quality, reference,
    identity, audit, restricted_audit), the same on every target, instead of dbt's default
    <target schema>_<custom>. On PostgreSQL dbt builds into `<name>__build` schemas, which
    `python -m scripts.build` swaps over the live ones in one transaction once every model and
    test passed (scripts/build/postgres.py): BI sessions never see a half-built `marts`. On
    DuckDB the build is separate files instead (warehouse/build/).
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set name = (custom_schema_name or target.schema) | trim -%}
    {%- if target.type == 'postgres' -%}
        {{ name ~ env_var('BDT_PG_BUILD_SUFFIX', '__build') }}
    {%- else -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}
