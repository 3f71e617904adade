{#-
    The history's incremental models replace rows by key (incremental_strategy delete+insert).
    Spark has no delete on Parquet tables. dbt-spark's check of the strategy and its choice of
    SQL are overridden here (the project's macros cannot call dbt-spark's by their namespace, so
    these handle the project's one strategy, delete+insert, and refuse any other):
    - keyed on the partition column (partition_by equal to unique_key: the delivery), it is
      insert_overwrite, which replaces exactly the partitions of the new rows;
    - keyed on another column (int_history__households_seen, by household), the table is
      rewritten: its rows whose key is not among the new rows, plus the new rows, into a new
      table that then replaces it (drop, rename: not atomic; a failure in between leaves the
      new table beside a dropped one).
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'delete+insert' -%}
        {%- set partition_by = config.get('partition_by') -%}
        {%- if partition_by and partition_by != config.get('unique_key') -%}
            {%- do exceptions.raise_compiler_error(
                'delete+insert on Spark: partition_by (' ~ partition_by ~ ') must be the unique_key ('
                ~ config.get('unique_key') ~ ') or none'
            ) -%}
        {%- endif -%}
        {{- return('insert_overwrite' if partition_by else 'delete+insert') -}}
    {%- endif -%}
    {%- do exceptions.raise_compiler_error(
        'incremental_strategy ' ~ raw_strategy ~ ': the Spark target of this project handles'
        ~ ' delete+insert only (macros/configuration/spark_incremental.sql)'
    ) -%}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'insert_overwrite' -%}
        {{- return(get_insert_overwrite_sql(source, target, existing)) -}}
    {%- endif -%}
    {%- set rewritten = target.incorporate(path={'identifier': target.identifier ~ '__rewritten'}) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | join(', ') -%}
    {%- do run_query('drop table if exists ' ~ rewritten) -%}
    {%- do run_query(
        'create table ' ~ rewritten ~ ' using parquet as'
        ~ ' select ' ~ columns ~ ' from ' ~ target ~ ' as kept'
        ~ ' left anti join ' ~ source ~ ' as new_rows on kept.' ~ unique_key ~ ' = new_rows.' ~ unique_key
        ~ ' union all select ' ~ columns ~ ' from ' ~ source
    ) -%}
    {%- do run_query('drop table ' ~ target) -%}
    {{- return('alter table ' ~ rewritten ~ ' rename to ' ~ target) -}}
{%- endmacro %}
