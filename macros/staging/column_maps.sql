{#-
    The column map of a raw export table: which raw column becomes which staged column, and of
    what kind. It is written in the source YAML, next to the contract's raw header names
    (models/staging/<source>/_<source>__sources.yml): each raw column's
      config: {meta: {header: IDBDT, required: true, staged_as: household_id, kind: text}}
    Kind `code` is an integer checked against the
    seed bdt_codelists under the raw column's name. Columns without `staged_as` (the loader's
    _source_file and _source_line) are not in the map.

    column_map(source_name, table_name) returns the list of (raw column, staged name, kind) in
    the order of the YAML (the loader types the raw values by it: scripts/load/typed.py, which
    describes the kinds). It is read by the staging models, by the *_validated models (code
    checks) and by the data quality models, which name the raw column and value behind every
    flag. The map is read from the project graph, which dbt fills only when it executes: while
    it parses the project the list is empty (callers call ref() outside their loops over it).
    A unit test sees no sources either: it gives the map of the columns it uses itself
    (overrides: macros: column_map: [[raw, staged name, kind], ...]).
-#}
{% macro column_map(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set matches = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name)
            | list -%}
        {%- if matches | length != 1 -%}
            {{ exceptions.raise_compiler_error(
                'column_map: no source ' ~ source_name ~ '.' ~ table_name ~ ' in the graph (a unit'
                ~ ' test sees no sources: give the columns it uses in overrides: macros: column_map)'
            ) }}
        {%- endif -%}
        {%- for column in matches[0].columns.values() if column.meta.staged_as -%}
            {%- do columns.append((column.name, column.meta.staged_as, column.meta.kind)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
