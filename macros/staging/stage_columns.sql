{#-
    The steps of staging a raw table whose columns are all text, one macro per CTE of the
    staging models (models/staging/*/stg_*.sql, which show the CTEs in order). Each macro takes
    the table's column map, column_map(source, table) (macros/staging/column_maps.sql): a list of
    (raw column, staged name, kind) written in the source YAML as each raw column's meta
    `staged_as` and `kind`, where kind is one of
      text        trimmed, placeholders (NULL, NA, N/A, -, empty) to null
      integer     text, then a whole number (safe_integer)
      code        an integer whose valid values are the seed bdt_codelists' codes of the raw column
      decimal     text, then a decimal number, point or comma (safe_decimal)
      date        text, then an ISO calendar date (safe_date; 0000-00-00 is null)
      region<N>   text, then a BPS code part of N digits with its leading zeros restored
    The CTEs, after `source` (the raw table):
      trimmed   staging_trimmed(map)  whitespace and stray \r trimmed; _trimmed_cells counts the
                                      cells that changed
      cleaned   staging_cleaned(map)  placeholders to null; _placeholder_cells counts them, and
                                      _zero_date_cells the dates 0000-00-00 (unknown), also null
      typed     staging_typed(map)    the typed columns under their staged names, beside the
                                      cleaned text under the raw names
      final     staging_final(map)    the staged columns, _cast_failures (comma-separated raw
                                      names whose present value did not convert, null when none)
                                      and _padded_codes (region codes given back leading zeros);
                                      with all four BPS code parts, bps_village_code (10 digits,
                                      null when a part is missing or invalid)
-#}

{% macro staging_trimmed(column_map) -%}
    {%- for raw, _name, _kind in column_map %}
    {{ trim_whitespace(raw) }} as {{ raw }},
    {%- endfor %}
    {%- for raw, _name, _kind in column_map %}
    (case when {{ has_edge_whitespace(raw) }} then 1 else 0 end)
    {%- if not loop.last %} +{% endif %}
    {%- endfor %} as _trimmed_cells
{%- endmacro %}

{% macro staging_cleaned(column_map) -%}
    {%- for raw, _name, _kind in column_map %}
    case
        when upper({{ raw }}) in ('', 'NULL', 'NA', 'N/A', '-', '0000-00-00') then null
        else {{ raw }}
    end as {{ raw }},
    {%- endfor %}
    {%- for raw, _name, _kind in column_map %}
    (case when upper({{ raw }}) in ('NULL', 'NA', 'N/A', '-') then 1 else 0 end)
    {%- if not loop.last %} +{% endif %}
    {%- endfor %} as _placeholder_cells,
    0
    {%- for raw, _name, kind in column_map if kind == 'date' %}
    + (case when {{ raw }} = '0000-00-00' then 1 else 0 end)
    {%- endfor %} as _zero_date_cells
{%- endmacro %}

{% macro typed_value(raw, kind) -%}
    {%- if kind == 'text' -%} {{ raw }}
    {%- elif kind in ('integer', 'code') -%} {{ safe_integer(raw) }}
    {%- elif kind == 'decimal' -%} {{ safe_decimal(raw) }}
    {%- elif kind == 'date' -%} {{ safe_date(raw) }}
    {%- elif kind.startswith('region') -%} {{ clean_region_code(raw, kind[6:] | int) }}
    {%- else -%} {{ exceptions.raise_compiler_error('unknown column kind ' ~ kind ~ ' for ' ~ raw) }}
    {%- endif -%}
{%- endmacro %}

{% macro staging_typed(column_map) -%}
    {%- for raw, name, kind in column_map if kind != 'text' %}
    {{ raw }},
    {%- endfor %}
    {%- for raw, name, kind in column_map %}
    {#- a text column staged under its raw name keeps it (no self-alias) #}
    {{ typed_value(raw, kind) }}{% if raw != name %} as {{ name }}{% endif %}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro staging_final(column_map) -%}
    {%- set checked = [] -%}
    {%- for column in column_map if column[2] != 'text' -%}
        {%- do checked.append(column) -%}
    {%- endfor -%}
    {%- for raw, name, kind in column_map %}
    {{ name }},
    {%- endfor %}
    {%- if column_map | map(attribute=0) | select('in', ['kdprop', 'kdkab', 'kdkec', 'kddesa']) | list | length == 4 %}
    province_code || regency_part || district_part || village_part as bps_village_code,
    {%- endif %}
    {#- The list is built only for the few rows with a failure: the test is cheap, concat is not. #}
    case
        when
            {%- for raw, name, kind in checked %}
            ({{ raw }} is not null and {{ name }} is null){% if not loop.last %} or{% endif %}
            {%- endfor %}
            then concat_ws(','
                {%- for raw, name, kind in checked %},
                case when {{ raw }} is not null and {{ name }} is null then '{{ raw }}' end
                {%- endfor %}
            )
    end as _cast_failures,
    0
    {%- for raw, name, kind in checked if kind.startswith('region') %}
    + (case when length({{ raw }}) < length({{ name }}) then 1 else 0 end)
    {%- endfor %} as _padded_codes,
    _trimmed_cells,
    _placeholder_cells,
    _zero_date_cells
{%- endmacro %}
