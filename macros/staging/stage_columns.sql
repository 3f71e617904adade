{#-
    The select list of a staging model over its typed raw table (`<table>__typed`, written by the
    loader: scripts/load/typed.py holds the typing rules, run once per raw value at load), after
    the lineage columns: the staged columns of the column map (column_map(source, table), macros/
    staging/column_maps.sql) in map order, bps_village_code (every export table maps the four
    BPS code parts), _cast_failures and the per-row repair counters. The kinds and counters are
    described in scripts/load/typed.py.
-#}
{% macro typed_columns(column_map) -%}
    {%- for _raw, name, _kind in column_map %}
    {{ name }},
    {%- endfor %}
    bps_village_code,
    _cast_failures,
    _padded_codes,
    _trimmed_cells,
    _placeholder_cells,
    _zero_date_cells
{%- endmacro %}
