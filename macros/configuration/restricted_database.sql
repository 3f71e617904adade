{#-
    The database of the restricted zone (personal data): on DuckDB the attached file
    warehouse/pii.duckdb (alias `pii`), elsewhere the target's own database, where restricted
    schemas are protected with grants instead.
-#}
{% macro restricted_database() -%}
    {{ return('pii' if target.type == 'duckdb' else target.database) }}
{%- endmacro %}
