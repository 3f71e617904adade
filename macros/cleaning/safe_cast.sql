{#-
    Casts that never fail and never guess, for what dbt still takes apart (a NIK's digits,
    macros/cleaning/nik_parts.sql): a value converts only when it has the exact shape of the type
    (checked with a regular expression first, because engines' own casts are lenient: DuckDB
    turns '3.5' into 4 and '0x10' into 16); anything else becomes null. The raw values are typed
    at load (scripts/load/typed.py), not here.
-#}

{#- Whole-string regular expression match, portable across the engines. -#}
{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'bdt_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_full_match(expression, pattern) -%}
    ({{ expression }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro spark__regex_full_match(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{#- A whole number; spreadsheets' "3.0" is accepted as 3. -#}
{% macro safe_integer(expression) -%}
    {{ return(adapter.dispatch('safe_integer', 'bdt_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__safe_integer(expression) -%}
    case
        when {{ regex_full_match(expression, '[+-]?[0-9]{1,9}([.]0+)?') }}
            then cast(cast({{ expression }} as {{ type_double() }}) as integer)
    end
{%- endmacro %}

{#- DuckDB: most cells are codes of one or two digits; a glob recognises them at a fifth of the
    regular expression's cost, and they convert without the detour through a double. Any other
    value goes through the portable check above (the same test, in the same case expression). -#}
{% macro duckdb__safe_integer(expression) -%}
    case
        when {{ expression }} glob '[0-9]' or {{ expression }} glob '[0-9][0-9]'
            then cast({{ expression }} as integer)
        when {{ regex_full_match(expression, '[+-]?[0-9]{1,9}([.]0+)?') }}
            then cast(cast({{ expression }} as {{ type_double() }}) as integer)
    end
{%- endmacro %}

{#- True when year, month and day (integers) name a real calendar day, years 1800-2100. -#}
{% macro is_valid_date(year, month, day) -%}
    (
        {{ year }} between 1800 and 2100
        and {{ month }} between 1 and 12
        and {{ day }} >= 1
        and {{ day }} <= case
            when {{ month }} in (4, 6, 9, 11) then 30
            when {{ month }} = 2 then
                case
                    when
                        ({{ year }} % 4 = 0 and {{ year }} % 100 <> 0) or {{ year }} % 400 = 0
                        then 29
                    else 28
                end
            else 31
        end
    )
{%- endmacro %}

{#- The date of year, month and day (integers), null when no such day exists. -#}
{% macro date_from_parts(year, month, day) -%}
    case
        when {{ is_valid_date(year, month, day) }}
            then {{ make_date(year, month, day) }}
    end
{%- endmacro %}

{% macro make_date(year, month, day) -%}
    {{ return(adapter.dispatch('make_date', 'bdt_warehouse')(year, month, day)) }}
{%- endmacro %}

{% macro default__make_date(year, month, day) -%}
    make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}
