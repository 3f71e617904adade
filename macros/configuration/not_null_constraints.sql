{#-
    Post-hook of every mart: the not_null constraints of its enforced contract hold on every
    engine. DuckDB and PostgreSQL enforce them themselves when the table is written (a null
    fails the model), so this is a no-op there; dbt-spark applies constraints to Delta tables
    only and the marts are Parquet (docs/spark.md), so on Spark the built table is checked here
    and a column holding nulls fails the model, as it would on the other engines. This is why
    the marts' columns under a not_null constraint carry no not_null data test.
-#}
{% macro not_null_constraints_checked() -%}
    {{ return(adapter.dispatch('not_null_constraints_checked')()) }}
{%- endmacro %}

{% macro default__not_null_constraints_checked() -%}
{%- endmacro %}

{% macro spark__not_null_constraints_checked() -%}
    {%- if execute and model.config.get('contract', {}).get('enforced') -%}
        {%- set constrained = [] -%}
        {%- for name, column in model.columns.items() -%}
            {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
                {%- do constrained.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if constrained -%}
            {%- set counts -%}
                select
                {%- for name in constrained %}
                    count(*) - count({{ adapter.quote(name) }}) as {{ adapter.quote(name) }}
                    {%- if not loop.last %},{% endif %}
                {%- endfor %}
                from {{ this }}
            {%- endset -%}
            {%- set row = run_query(counts).rows[0] -%}
            {%- set failed = [] -%}
            {%- for name in constrained -%}
                {%- if row[loop.index0] > 0 -%}
                    {%- do failed.append(name ~ ' (' ~ row[loop.index0] ~ ' rows)') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if failed -%}
                {{ exceptions.raise_compiler_error(
                    this ~ ': null values in columns under a not_null constraint of the contract: '
                    ~ failed | join(', ')
                ) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
