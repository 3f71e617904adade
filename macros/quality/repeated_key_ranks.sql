{#-
    The rule "a later row of the same identifier is a duplicate", for one identifier: the rows
    whose key is on more than one row, ranked in file and line order (1 = the row kept, 2 and
    more = duplicates). Rows of a key seen once, and rows without a key, are not returned: their
    rank is 1. The repeated keys are found by an aggregate over the key column alone and only
    their few rows are ranked, so the wide rows are never sorted (at national size that sort
    spilled tens of GB). Used by int_households__resolved (IDBDT) and int_individuals__resolved
    (IDARTBDT), joined back on (source_file, source_line).
      relation     a model with source_file, source_line and the key column
      key_column   the identifier
      rank_column  the name given to the rank
-#}
{% macro repeated_key_ranks(relation, key_column, rank_column) -%}
    select
        keyed_rows.source_file,
        keyed_rows.source_line,
        row_number() over (
            partition by keyed_rows.{{ key_column }}
            order by keyed_rows.source_file, keyed_rows.source_line
        ) as {{ rank_column }}
    from {{ relation }} as keyed_rows
    where keyed_rows.{{ key_column }} in (
        select repeated_keys.{{ key_column }}
        from {{ relation }} as repeated_keys
        where repeated_keys.{{ key_column }} is not null
        group by repeated_keys.{{ key_column }}
        having count(*) > 1
    )
{%- endmacro %}
