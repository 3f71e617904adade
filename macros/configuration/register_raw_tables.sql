{#-
    The raw layer as tables of the database `raw`, for engines that do not read raw.duckdb
    themselves (run when dbt starts: on-run-start). DuckDB attaches the file (profiles.yml) and
    PostgreSQL gets a copy from the loader: nothing to do. Spark: each raw table of the sources
    is the Parquet folder `<spark dir>/raw/<table>` written by `python -m scripts.load.spark`
    (beside `<spark dir>/tables`, Spark's warehouse folder), registered again on every run (an
    external table: dropping it keeps the files), so that a new export is what the run reads.
    The registry's tables are partitioned Hive-style (`_delivery=...`, with the layout
    `province` also `/_province=...`): their partition columns are read as text (no type inference: a delivery 2017-07-15 stays a label,
    not a date) and the partitions found on disk are registered (`recover partitions`), so that
    a build reads only the folders of its delivery.
-#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables', 'bdt_warehouse')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute -%}
        {%- set raw_tables = graph.sources.values()
            | selectattr('package_name', 'equalto', project_name)
            | selectattr('schema', 'equalto', 'raw')
            | map(attribute='identifier') | unique | sort -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- do run_query('set spark.sql.sources.partitionColumnTypeInference.enabled = false') -%}
        {%- for table in raw_tables -%}
            {%- set relation = 'raw.`' ~ table ~ '`' -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' using parquet'
                ~ " location '${spark.sql.warehouse.dir}/../raw/" ~ table ~ "'"
            ) -%}
            {%- set described = run_query('describe table ' ~ relation) -%}
            {%- if '# Partition Information' in described.columns[0].values() -%}
                {%- do run_query('alter table ' ~ relation ~ ' recover partitions') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
