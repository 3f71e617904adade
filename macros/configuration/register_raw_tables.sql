{#-
    The raw layer as tables of the database `raw`, for engines that do not read raw.duckdb
    themselves (run when dbt starts: on-run-start). DuckDB attaches the file (profiles.yml) and
    PostgreSQL gets a copy from the loader: nothing to do. Spark: each raw table of the sources
    is the Parquet folder `<spark dir>/raw/<table>` written by `python -m scripts.load.spark`
    (beside `<spark dir>/tables`, Spark's warehouse folder), registered again on every run (an
    external table: dropping it keeps the files), so that a new export is what the run reads.
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
        {%- for table in raw_tables -%}
            {%- do run_query('drop table if exists raw.`' ~ table ~ '`') -%}
            {%- do run_query(
                'create table raw.`' ~ table ~ '` using parquet'
                ~ " location '${spark.sql.warehouse.dir}/../raw/" ~ table ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
