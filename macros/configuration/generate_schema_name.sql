{#-
    Schemas are named for what they hold (staging, intermediate, marts, quality, reference,
    identity), the same on every target, instead of dbt's default <target schema>_<custom>.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
