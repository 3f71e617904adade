{#-
    Code-list validity of the `code` columns of a column map, against the seed bdt_codelists
    (variable = the raw column name). Used by the *_validated intermediate models, through
    coded_select(map, alias), the select list and joins of their `coded` CTE:
      code_check_joins(map, alias, codelists)
                                     one left join per code column to the code list
      valid_codes(map, alias)        each code column, null when not in its list
      codes_out_of_range(map, alias) comma-separated raw names whose code is not in the list
                                     (null when none)
-#}
{% macro code_columns(column_map) -%}
    {%- set coded = [] -%}
    {%- for column in column_map if column[2] == 'code' -%}
        {%- do coded.append(column) -%}
    {%- endfor -%}
    {{ return(coded) }}
{%- endmacro %}

{% macro code_check_joins(column_map, alias, codelists) -%}
    {%- for raw, name, _kind in code_columns(column_map) %}
    left join {{ codelists }} as code_{{ raw }}
        on code_{{ raw }}.variable = '{{ raw }}' and {{ alias }}.{{ name }} = code_{{ raw }}.code
    {%- endfor %}
{%- endmacro %}

{% macro valid_codes(column_map) -%}
    {%- for raw, name, _kind in code_columns(column_map) %}
    code_{{ raw }}.code as {{ name }},
    {%- endfor %}
{%- endmacro %}

{% macro codes_out_of_range(column_map, alias) -%}
    {%- set coded = code_columns(column_map) -%}
    case
        when
            {%- for raw, name, _kind in coded %}
            ({{ alias }}.{{ name }} is not null and code_{{ raw }}.code is null){% if not loop.last %} or{% endif %}
            {%- endfor %}
            then concat_ws(','
                {%- for raw, name, _kind in coded %},
                case when {{ alias }}.{{ name }} is not null and code_{{ raw }}.code is null then '{{ raw }}' end
                {%- endfor %}
            )
    end
{%- endmacro %}

{#- The staged columns of a map that are not code columns, qualified by alias. -#}
{% macro other_columns(column_map, alias) -%}
    {%- for raw, name, kind in column_map if kind != 'code' %}
    {{ alias }}.{{ name }},
    {%- endfor %}
{%- endmacro %}

{#-
    The `coded` CTE body of a *_validated model over the staging model aliased `alias`: its
    lineage, staged columns with codes outside their list nulled, the list of those codes, and
    the staging repair counters (without their leading underscore).
-#}
{% macro coded_select(column_map, alias, extra_columns=[]) -%}
    {#- ref() outside the loops: the map is empty while dbt parses (see column_maps.sql). -#}
    {%- set codelists = ref('bdt_codelists') -%}
    select
        {{ alias }}.source_file,
        {{ alias }}.source_line,
        {%- for column in extra_columns %}
        {{ alias }}.{{ column }},
        {%- endfor %}
        {{ other_columns(column_map, alias) }}
        {{ valid_codes(column_map) }}
        {{ alias }}.bps_village_code,
        {{ codes_out_of_range(column_map, alias) }} as codes_out_of_range,
        {{ alias }}._cast_failures as cast_failures,
        {{ alias }}._padded_codes as padded_codes,
        {{ alias }}._trimmed_cells as trimmed_cells,
        {{ alias }}._placeholder_cells as placeholder_cells,
        {{ alias }}._zero_date_cells as zero_date_cells
    from {{ alias }}
    {{ code_check_joins(column_map, alias, codelists) }}
{%- endmacro %}
