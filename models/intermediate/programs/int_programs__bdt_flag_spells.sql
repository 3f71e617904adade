{#-
    Program spells over the BDT's data vintages: the PBDT 2015 variables (sta_*, Ada_*) and the
    Kemensos release flags (AdaKKS2016, AdaKKS2017, AdaPKH, AdaPBI, AdaBPNT). For each program
    and unit, consecutive observed vintages with the flag "yes" (code 1) form one spell. Household
    flags give household spells; individual flags of individual programs (KIS/PBI, KIP) give
    individual spells. The lists below are the one place that says which column is which program
    and vintage; a program's vintages are in order, and neighbours in its list are consecutive.

    A program has at most three vintages, so its spells are enumerated on each row rather than
    found by unpivoting and ranking: the run of vintages first..last is a spell when every flag
    in it is "yes" and the flags just before and after it (if any) are not. Each run is one
    filtered scan of the unit's rows: no sort, no window and no aggregate, which keeps this view
    streaming at national size (143 M spells) where the unpivot-and-rank form spilled to disk.
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
{%- set units = [
    ('household', 'households', household_programs),
    ('individual', 'individuals', individual_programs),
] -%}

with

households as (

    select * from {{ ref('int_households__accepted') }}

),

individuals as (

    select * from {{ ref('int_individuals__accepted') }}

),

final as (

    {%- set runs = [] %}
    {%- for unit, relation, programs in units %}
        {%- for program, flags in programs %}
            {%- for first in range(flags | length) %}
                {%- for last in range(first, flags | length) %}
                    {%- set conditions = [] %}
                    {%- for column, year in flags[first:last + 1] %}
                        {%- do conditions.append(relation ~ '.' ~ column ~ ' = 1') %}
                    {%- endfor %}
                    {%- if first > 0 %}
                        {%- do conditions.append(
                            'coalesce(' ~ relation ~ '.' ~ flags[first - 1][0] ~ ', 0) != 1') %}
                    {%- endif %}
                    {%- if last < flags | length - 1 %}
                        {%- do conditions.append(
                            'coalesce(' ~ relation ~ '.' ~ flags[last + 1][0] ~ ', 0) != 1') %}
                    {%- endif %}
                    {%- set run %}
    select
        '{{ program }}' as program_code,
        '{{ unit }}' as beneficiary_unit,
        {{ relation }}.household_id,
        {{ relation }}.household_key,
        {%- if unit == 'individual' %}
        {{ relation }}.individual_id,
        {{ relation }}.individual_key,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as individual_id,
        cast(null as uuid) as individual_key,
        {%- endif %}
        {{ flags[first][1] }} as first_vintage_year,
        {{ flags[last][1] }} as last_vintage_year,
        cast({{ last - first + 1 }} as {{ dbt.type_bigint() }}) as vintage_count
    from {{ relation }}
    where {{ conditions | join('\n        and ') }}
                    {%- endset %}
                    {%- do runs.append(run) %}
                {%- endfor %}
            {%- endfor %}
        {%- endfor %}
    {%- endfor %}
    {{ runs | join('\n    union all\n') }}

)

select * from final
