{#- An 8-byte floating point type (type_double() is 4 bytes on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'bdt_warehouse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}

{#- The type of the warehouse's keys (macro pseudonym, spell_key): uuid, 16 bytes. Spark has no
    UUID type: there a key is the UUID's text. -#}
{% macro type_key() -%}
    {{ return(adapter.dispatch('type_key', 'bdt_warehouse')()) }}
{%- endmacro %}

{% macro default__type_key() -%}
    uuid
{%- endmacro %}

{% macro spark__type_key() -%}
    string
{%- endmacro %}

{#- A key from an expression of 32 hex digits, typed type_key(): on Spark the UUID's text
    (8-4-4-4-12, lower case), equal to the uuid of the other engines cast to text. -#}
{% macro key_from_hex(hex_expression) -%}
    {{ return(adapter.dispatch('key_from_hex', 'bdt_warehouse')(hex_expression)) }}
{%- endmacro %}

{% macro default__key_from_hex(hex_expression) -%}
    cast({{ hex_expression }} as uuid)
{%- endmacro %}

{% macro spark__key_from_hex(hex_expression) -%}
    regexp_replace(lower({{ hex_expression }}), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '$1-$2-$3-$4-$5')
{%- endmacro %}
