{#- One output row per element of a comma-separated list (in a select list). -#}
{% macro split_to_rows(list_expression) -%}
    {{ return(adapter.dispatch('split_to_rows', 'bdt_warehouse')(list_expression)) }}
{%- endmacro %}

{% macro default__split_to_rows(list_expression) -%}
    unnest(string_split({{ list_expression }}, ','))
{%- endmacro %}

{% macro postgres__split_to_rows(list_expression) -%}
    unnest(string_to_array({{ list_expression }}, ','))
{%- endmacro %}

{% macro spark__split_to_rows(list_expression) -%}
    explode(split({{ list_expression }}, ','))
{%- endmacro %}
