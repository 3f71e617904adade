{#-
    Program spells over the BDT's data vintages: the PBDT 2015 variables (sta_*, Ada_*) and the
    Kemensos release flags (AdaKKS2016, AdaKKS2017, AdaPKH, AdaPBI, AdaBPNT). For each program
    and unit, consecutive observed vintages with the flag "yes" form one spell. Household flags
    give household spells; individual flags of individual programs (KIS/PBI, KIP) give
    individual spells. The list below is the one place that says which column is which
    program and vintage.
-#}
{#- A view on DuckDB: a table of every household x program spell is large at national scale, and its
    two readers (fct_program_spells, int_households__programs) each read it once. -#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set household_flags = [
    ('PKH', 'pkh_2015_code', 2015), ('PKH', 'pkh_2017_code', 2017),
    ('KKS', 'kks_2015_code', 2015), ('KKS', 'kks_2016_code', 2016), ('KKS', 'kks_2017_code', 2017),
    ('KIS_PBI', 'kis_2015_code', 2015), ('KIS_PBI', 'pbi_2017_code', 2017),
    ('KIP', 'kip_2015_code', 2015),
    ('RASTRA', 'rastra_2015_code', 2015),
    ('BPNT', 'bpnt_2017_code', 2017),
    ('KUR', 'kur_2015_code', 2015),
    ('BPJS_MANDIRI', 'bpjs_mandiri_2015_code', 2015),
    ('JAMSOSTEK', 'jamsostek_2015_code', 2015),
] -%}
{%- set individual_flags = [
    ('KIS_PBI', 'pbi_code', 2015),
    ('KIP', 'kip_code', 2015),
] -%}

with

households as (

    select * from {{ ref('int_households__resolved') }}
    where quarantine_rule is null

),

individuals as (

    select * from {{ ref('int_individuals__resolved') }}
    where quarantine_rule is null

),

observations as (

    {%- for program, column, year in household_flags %}
        select
            '{{ program }}' as program_code,
            'household' as beneficiary_unit,
            household_id,
            household_key,
            cast(null as {{ dbt.type_string() }}) as individual_id,
            cast(null as uuid) as individual_key,
            {{ year }} as vintage_year,
            {{ loop.index }} as vintage_order,
            {{ column }} = 1 as is_beneficiary
        from households
        where {{ column }} is not null
        union all
    {%- endfor %}
    {%- for program, column, year in individual_flags %}
        select
            '{{ program }}' as program_code,
            'individual' as beneficiary_unit,
            household_id,
            household_key,
            individual_id,
            individual_key,
            {{ year }} as vintage_year,
            {{ loop.index }} as vintage_order,
            {{ column }} = 1 as is_beneficiary
        from individuals
        where {{ column }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

islands as (

    select
        observations.*,
        observations.vintage_order - row_number() over (
            partition by
                observations.program_code,
                observations.beneficiary_unit,
                observations.household_id,
                observations.individual_id
            order by observations.vintage_order
        ) as island
    from observations
    where observations.is_beneficiary

),

final as (

    select
        program_code,
        beneficiary_unit,
        household_id,
        household_key,
        individual_id,
        individual_key,
        min(vintage_year) as first_vintage_year,
        max(vintage_year) as last_vintage_year,
        count(*) as vintage_count
    from islands
    group by
        program_code,
        beneficiary_unit,
        household_id,
        household_key,
        individual_id,
        individual_key,
        island

)

select * from final
