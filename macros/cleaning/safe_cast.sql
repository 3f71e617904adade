{#-
    Casts that never fail and never guess. A value converts only when it has the exact shape of
    the type (checked with a regular expression first, because engines' own casts are lenient:
    DuckDB turns '3.5' into 4 and '0x10' into 16); anything else becomes null. Staging pairs
    every cast with a flag (`cast_failed`) so that a bad value is neither an error nor a silent
    change.
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

{#- A decimal number, with a point or an Indonesian decimal comma ("12,5"). -#}
{% macro safe_decimal(expression) -%}
    case
        when {{ regex_full_match(expression, '[+-]?([0-9]{1,12}([.,][0-9]*)?|[.,][0-9]+)') }}
            then cast(replace({{ expression }}, ',', '.') as {{ type_double() }})
    end
{%- endmacro %}

{#- An ISO date YYYY-MM-DD that exists in the calendar ("0000-00-00", "2015-02-30" are null). -#}
{% macro safe_date(expression) -%}
    case
        when {{ regex_full_match(expression, '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then {{ date_from_parts(
                safe_integer('substr(' ~ expression ~ ', 1, 4)'),
                safe_integer('substr(' ~ expression ~ ', 6, 2)'),
                safe_integer('substr(' ~ expression ~ ', 9, 2)')
            ) }}
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

{#- True when a present (cleaned, non-null) value did not survive its cast. -#}
{% macro cast_failed(cleaned, casted) -%}
    ({{ cleaned }} is not null and {{ casted }} is null)
{%- endmacro %}
