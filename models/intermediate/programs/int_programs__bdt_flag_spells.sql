{#-
    Program spells over the BDT's data vintages: the PBDT 2015 variables (sta_*, Ada_*) and the
    Kemensos release flags (AdaKKS2016, AdaKKS2017, AdaPKH, AdaPBI, AdaBPNT). For each program
    and unit, consecutive observed vintages with the flag "yes" (code 1) form one spell. Household
    flags give household spells; individual flags of individual programs (KIS/PBI, KIP) give
    individual spells. The lists below are the one place that says which column is which program
    and vintage; a program's vintages are in order, and neighbours in its list are consecutive.

    A program has at most three vintages, so its spells are enumerated on each row rather than
    found by unpivoting and ranking: macro vintage_runs (macros/programs/vintage_runs.sql) lists
    every run of consecutive vintages first..last of each program, and the run is a unit's spell
    when every flag in it is "yes" and the flags just before and after it (if any) are not. Each
    run is one filtered scan of the unit's rows, the branches below: no sort, no window and no
    aggregate, which keeps this view streaming at national size (143 M spells) where the
    unpivot-and-rank form spilled to disk.
-#}
{#- A view on DuckDB: a table of every household x program spell is large at national scale, and its
    two readers (fct_program_spells, int_households__programs) each read it once. -#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set household_programs = [
    ('PKH', [('pkh_2015_code', 2015), ('pkh_2017_code', 2017)]),
    ('KKS', [('kks_2015_code', 2015), ('kks_2016_code', 2016), ('kks_2017_code', 2017)]),
    ('KIS_PBI', [('kis_2015_code', 2015), ('pbi_2017_code', 2017)]),
    ('KIP', [('kip_2015_code', 2015)]),
    ('RASTRA', [('rastra_2015_code', 2015)]),
    ('BPNT', [('bpnt_2017_code', 2017)]),
    ('KUR', [('kur_2015_code', 2015)]),
    ('BPJS_MANDIRI', [('bpjs_mandiri_2015_code', 2015)]),
    ('JAMSOSTEK', [('jamsostek_2015_code', 2015)]),
] -%}
{%- set individual_programs = [
    ('KIS_PBI', [('pbi_code', 2015)]),
    ('KIP', [('kip_code', 2015)]),
] -%}

with

households as (

    select * from {{ ref('int_households__accepted') }}

),

individuals as (

    select * from {{ ref('int_individuals__accepted') }}

),

household_spells as (

    {#- One branch per run of vintages (macro vintage_runs): the unit's flags of the run are all
        "yes" (1), the flags just before and after it are not. #}
    {%- for run in vintage_runs(household_programs) %}
        select
            '{{ run.program_code }}' as program_code,
            'household' as beneficiary_unit,
            households.household_id,
            households.household_key,
            cast(null as {{ dbt.type_string() }}) as individual_id,
            cast(null as {{ type_key() }}) as individual_key,
            {{ run.first_year }} as first_vintage_year,
            {{ run.last_year }} as last_vintage_year,
            cast({{ run.vintage_count }} as {{ dbt.type_bigint() }}) as vintage_count
        from households
        where true
            {%- for column in run.not_yes_columns %}
                and coalesce(households.{{ column }}, 0) != 1
            {%- endfor %}
            {%- for column in run.yes_columns %}
                and households.{{ column }} = 1
            {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

individual_spells as (

    {%- for run in vintage_runs(individual_programs) %}
        select
            '{{ run.program_code }}' as program_code,
            'individual' as beneficiary_unit,
            individuals.household_id,
            individuals.household_key,
            individuals.individual_id,
            individuals.individual_key,
            {{ run.first_year }} as first_vintage_year,
            {{ run.last_year }} as last_vintage_year,
            cast({{ run.vintage_count }} as {{ dbt.type_bigint() }}) as vintage_count
        from individuals
        where true
            {%- for column in run.not_yes_columns %}
                and coalesce(individuals.{{ column }}, 0) != 1
            {%- endfor %}
            {%- for column in run.yes_columns %}
                and individuals.{{ column }} = 1
            {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select * from household_spells
    union all
    select * from individual_spells

)

select * from final
