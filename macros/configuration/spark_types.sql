{#-
    Spark's side of the project's portable column types. Seeds (column_types) and model contracts
    (data_type) name types as DuckDB and PostgreSQL spell them; Spark has no varchar without a
    length, no uuid (keys are the UUID's text there, see pseudonym.sql), no float8 and no
    timestamp with time zone (its timestamp is an instant, shown in the session time zone, UTC).
-#}
{% macro spark_type(data_type) -%}
    {%- set spark_types = {
        'varchar': 'string',
        'text': 'string',
        'uuid': 'string',
        'float8': 'double',
        'double precision': 'double',
        'timestamp with time zone': 'timestamp',
        'timestamptz': 'timestamp',
    } -%}
    {{- return(spark_types.get(data_type | trim | lower, data_type)) -}}
{%- endmacro %}

{#- A Spark SQL string literal of a seed cell (null for an empty cell). -#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{#- dbt's contract check on Spark: the empty select of the declared columns, in Spark's types. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_columns = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spark_column = {} -%}
        {%- do spark_column.update(column) -%}
        {%- do spark_column.update({'data_type': spark_type(column['data_type'])}) -%}
        {%- do spark_columns.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}

{#- The Spark types of a seed's columns: its column_types, else the type dbt infers. -#}
{% macro spark_seed_types(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set seed_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do seed_types.append(spark_type(
            column_types.get(column_name, adapter.convert_type(agate_table, loop.index0))
        )) -%}
    {%- endfor -%}
    {{ return(seed_types) }}
{%- endmacro %}

{#- A seed's table on Spark: the declared column_types in Spark's types. -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set quote_columns = model['config'].get('quote_columns', none) -%}
    {%- set seed_types = spark_seed_types(model, agate_table) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, quote_columns) }} {{ seed_types[loop.index0] }}
            {{- "," if not loop.last }}
            {%- endfor %}
        ) using parquet
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{#- A seed's rows on Spark as literals: dbt-spark's session bindings neither escape quotes nor
    keep empty cells null. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set seed_types = spark_seed_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({%- for value in row -%}
                cast({{ spark_literal(value) }} as {{ seed_types[loop.index0] }}){{ ", " if not loop.last }}
            {%- endfor -%})
            {{- "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- dbt's safe_cast on Spark (unit tests cast their fixture rows to the declared types) with the
    type in Spark's spelling. A cast that fails gives null: dbt-spark turns ANSI mode off. -#}
{% macro spark__safe_cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}
