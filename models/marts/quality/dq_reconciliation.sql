{#-
    Nothing lost: per raw table and delivery, the raw rows equal the rows that reached the marts
    plus the rows quarantined. PKH payment rows reach the marts as the stages of
    fct_program_spells. Each build counts its current delivery (whose rows the marts hold) and
    adds or replaces that delivery's rows: incremental, so that the rows of every delivery built
    stay (one build per delivery: scripts/build/deliveries.py).
-#}
{{
    config(
        materialized='incremental',
        unique_key='delivery',
        partition_by='delivery',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
with

raw_counts as (

    {%- for raw_table, relation in [
        ('bdt_households', source('bdt', 'households')),
        ('bdt_individuals', source('bdt', 'individuals')),
        ('pkh_payments', source('pkh', 'payments')),
        ('fkp_sls_results', source('fkp', 'sls_results')),
    ] %}
        select
            '{{ raw_table }}' as raw_table,
            count(*) as raw_rows
        from {{ relation }}
        where _delivery = {{ current_delivery() }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

mart_counts as (

    select
        'bdt_households' as raw_table,
        count(*) as mart_rows
    from {{ ref('dim_household') }}
    where household_source = 'BDT'

    union all

    select
        'bdt_individuals' as raw_table,
        count(*) as mart_rows
    from {{ ref('dim_individual') }}

    union all

    select
        'pkh_payments' as raw_table,
        cast(coalesce(sum(stage_count), 0) as bigint) as mart_rows
    from {{ ref('fct_program_spells') }}
    where spell_source = 'PKH payment lists'

    union all

    select
        'fkp_sls_results' as raw_table,
        count(*) as mart_rows
    from {{ ref('fct_fkp_sls_results') }}

),

quarantine_counts as (

    select
        raw_table,
        count(*) as quarantined_rows
    from {{ ref('int_quality__issues') }}
    where action = 'quarantined'
    group by raw_table

)

select
    raw_counts.raw_table,
    raw_counts.raw_rows,
    mart_counts.mart_rows,
    coalesce(quarantine_counts.quarantined_rows, 0) as quarantined_rows,
    raw_counts.raw_rows - mart_counts.mart_rows - coalesce(quarantine_counts.quarantined_rows, 0)
        as unaccounted_rows,
    raw_counts.raw_rows = mart_counts.mart_rows + coalesce(quarantine_counts.quarantined_rows, 0)
        as is_reconciled,
    cast({{ current_delivery() }} as {{ dbt.type_string() }}) as delivery
from raw_counts
inner join mart_counts
    on raw_counts.raw_table = mart_counts.raw_table
left join quarantine_counts
    on raw_counts.raw_table = quarantine_counts.raw_table
