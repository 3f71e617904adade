{#-
    The marts' contracts declare foreign keys (facts -> dimensions), so that BI tools reading the
    catalog propose the joins. PostgreSQL creates them. DuckDB would too, but it cannot then drop
    or replace a table that a foreign key references: dbt-duckdb would copy every fact that refers
    to a dimension aside and back on each rebuild of that dimension (hundreds of millions of rows
    at national scale) and refuse a run that selects a dimension without all its facts
    (`dbt build -s dim_household`). On DuckDB the foreign keys are therefore left out of the DDL;
    the relationships data tests check the same links on both engines, and the column comments
    name the dimension each key refers to.
-#}
{% macro duckdb__get_table_columns_and_constraints() -%}
    {%- set columns_without_foreign_keys = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set kept = column['constraints'] | rejectattr('type', 'equalto', 'foreign_key') | list -%}
        {%- do columns_without_foreign_keys.update({name: dict(column, constraints=kept)}) -%}
    {%- endfor -%}
    {%- set column_ddl = adapter.render_raw_columns_constraints(raw_columns=columns_without_foreign_keys) -%}
    {%- set model_ddl = adapter.render_raw_model_constraints(
        raw_constraints=model['constraints'] | rejectattr('type', 'equalto', 'foreign_key') | list
    ) -%}
    (
    {% for ddl in column_ddl -%}
        {{ ddl }}{{ "," if not loop.last or model_ddl }}
    {% endfor %}
    {% for ddl in model_ddl -%}
        {{ ddl }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
