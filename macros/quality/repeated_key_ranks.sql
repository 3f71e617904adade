{#-
    The rule "a later row of the same identifier is a duplicate", for one identifier: the rows
    whose key is on more than one row, ranked in file and line order (1 = the row kept, 2 and
    more = duplicates). Rows of a key seen once, and rows with a part of the key missing, are
    not returned: their rank is 1. The repeated keys are found by an aggregate over the key
    columns alone and only their few rows are ranked, so the wide rows are never sorted (at
    national size that sort spilled tens of GB). Used by int_households__resolved (IDBDT),
    int_individuals__resolved (IDARTBDT) and int_pkh__payments_resolved (IDPKH, year, stage),
    joined back on (source_file, source_line).
      relation     a model with source_file, source_line and the key columns
      key_columns  the identifier: a column name, or a list of them
      rank_column  the name given to the rank
-#}
{% macro repeated_key_ranks(relation, key_columns, rank_column) -%}
    {%- set keys = [key_columns] if key_columns is string else key_columns -%}
    select
        keyed_rows.source_file,
        keyed_rows.source_line,
        row_number() over (
            partition by
                {%- for key in keys %} keyed_rows.{{ key }}{{ "," if not loop.last }}{% endfor %}
            order by keyed_rows.source_file, keyed_rows.source_line
        ) as {{ rank_column }}
    from {{ relation }} as keyed_rows
    where ({% for key in keys %}{{ ", " if not loop.first }}keyed_rows.{{ key }}{% endfor %}) in (
        {#- one key on the select's line, several on lines of their own (sqlfluff LT09) #}
        {%- set target_break = "\n            " if keys | length > 1 else " " %}
        select
            {%- for key in keys %}{{ target_break }}repeated_keys.{{ key }}{{ "," if not loop.last }}{% endfor %}
        from {{ relation }} as repeated_keys
        where
            {%- for key in keys %}
            {{ "and " if not loop.first }}repeated_keys.{{ key }} is not null
            {%- endfor %}
        group by
            {%- for key in keys %} repeated_keys.{{ key }}{{ "," if not loop.last }}{% endfor %}
        having count(*) > 1
    )
{%- endmacro %}
