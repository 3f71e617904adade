{#-
    The quarantine: every raw row kept out of the marts, with its file, line, the rule that
    kept it out and the offending value. Restricted (the value can be a NIK): data stewards
    use it to send corrections back to the data owner. The rows of the current delivery (macro
    current_delivery), whose rows the marts hold.
-#}
{#- (raw table, source name, source table): the offending value is read with the column map
    of the source YAML (macros/staging/column_maps.sql), the one the staging models use. -#}
{%- set tables = [
    ('bdt_households', 'bdt', 'households'),
    ('bdt_individuals', 'bdt', 'individuals'),
    ('pkh_payments', 'pkh', 'payments'),
    ('fkp_sls_results', 'fkp', 'sls_results'),
] -%}

with

quarantined as (

    select * from {{ ref('int_quality__issues') }}
    where action = 'quarantined'

),

rejected as (

    {%- for raw_table, source_name, table_name in tables %}
        select
            quarantined.raw_table,
            quarantined.source_file,
            quarantined.source_line,
            quarantined.rule_code,
            quarantined.column_name,
            {{ raw_value(column_map(source_name, table_name), 'raw_row', 'quarantined.column_name') }}
                as offending_value
        from quarantined
        inner join {{ source(source_name, table_name) }} as raw_row
            on quarantined.source_file = raw_row._source_file
                and quarantined.source_line = raw_row._source_line
                and raw_row._delivery = {{ current_delivery() }}
        where quarantined.raw_table = '{{ raw_table }}'
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select
    rejected.raw_table,
    rejected.source_file,
    rejected.source_line,
    rejected.rule_code,
    rejected.column_name,
    rejected.offending_value
from rejected
