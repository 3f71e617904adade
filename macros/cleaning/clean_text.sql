{#-
    Raw text to a clean value: blanks, tabs and stray carriage returns trimmed; the empty string
    and the placeholders real exports use for "no value" (NULL, null, -, N/A) become null.
-#}
{% macro clean_text(column) -%}
    {%- set trimmed = trim_whitespace(column) -%}
    case
        when upper({{ trimmed }}) not in ('', 'NULL', 'NA', 'N/A', '-') then {{ trimmed }}
    end
{%- endmacro %}

{#- Trim spaces, tabs, carriage returns and newlines on both sides. -#}
{% macro trim_whitespace(column) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'bdt_warehouse')(column)) }}
{%- endmacro %}

{% macro default__trim_whitespace(column) -%}
    trim({{ column }}, chr(32) || chr(9) || chr(13) || chr(10))
{%- endmacro %}

{#- DuckDB: trimming a set of characters is three times slower than testing the ends first. -#}
{% macro duckdb__trim_whitespace(column) -%}
    case
        when {{ has_edge_whitespace(column) }}
            then trim({{ column }}, chr(32) || chr(9) || chr(13) || chr(10))
        else {{ column }}
    end
{%- endmacro %}

{#- True when the value starts or ends with a space, tab, carriage return or newline. -#}
{% macro has_edge_whitespace(column) -%}
    {{ return(adapter.dispatch('has_edge_whitespace', 'bdt_warehouse')(column)) }}
{%- endmacro %}

{% macro default__has_edge_whitespace(column) -%}
    regexp_matches({{ column }}, '^[ \t\r\n]|[ \t\r\n]$')
{%- endmacro %}

{% macro postgres__has_edge_whitespace(column) -%}
    ({{ column }} ~ '^[ \t\r\n]|[ \t\r\n]$')
{%- endmacro %}

{% macro spark__has_edge_whitespace(column) -%}
    ({{ column }} rlike '^[ \\t\\r\\n]|[ \\t\\r\\n]$')
{%- endmacro %}

{% macro postgres__trim_whitespace(column) -%}
    btrim({{ column }}, chr(32) || chr(9) || chr(13) || chr(10))
{%- endmacro %}

{% macro spark__trim_whitespace(column) -%}
    regexp_replace({{ column }}, '^[ \\t\\r\\n]+|[ \\t\\r\\n]+$', '')
{%- endmacro %}
