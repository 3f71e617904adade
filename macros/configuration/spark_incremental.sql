{#-
    The history's incremental models replace the rows of the delivery they build
    (incremental_strategy delete+insert, unique_key delivery). Spark has no delete on Parquet
    tables: there such a model is partitioned by that key (partition_by, dbt_project.yml) and
    built with insert_overwrite, which replaces exactly the partitions of the new rows. An
    override of dbt-spark's check of the strategy; any other strategy is checked by dbt-spark.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'delete+insert' -%}
        {%- if config.get('partition_by') != config.get('unique_key') -%}
            {%- do exceptions.raise_compiler_error(
                'delete+insert on Spark needs partition_by equal to unique_key (here '
                ~ config.get('partition_by') ~ ' and ' ~ config.get('unique_key') ~ ')'
            ) -%}
        {%- endif -%}
        {{- return('insert_overwrite') -}}
    {%- endif -%}
    {{- return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) -}}
{%- endmacro %}
