{#-
    Every staged individual row with its checks: codes outside their code list nulled (and
    named in codes_out_of_range), the NIK taken apart (macro nik_parts) and checked against the
    Kemendagri kecamatan list, and NIK sex/birth date compared with JnsKel/TglLahir. Ages and
    the NIK's century are taken at the row's as-of date (its delivery's, from staging). Nothing is
    dropped here; int_individuals__resolved decides what is quarantined.
-#}
{#- A view on DuckDB, inlined into int_individuals__resolved (narrow scans for the repeated
    IDARTBDTs and NIKs, one wide pass): since the raw values are typed at load, re-running these
    checks per scan costs less than writing a second restricted copy of every member (at 1m the
    two models took 49.8 s as tables, 37.1 s as a view; docs/benchmarks.md). A table, analysed,
    on PostgreSQL and Spark, as int_households__validated. -#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set columns = column_map('bdt', 'individuals') -%}

with

individuals as (

    select * from {{ ref('stg_bdt__individuals') }}

),

known_prefixes as (

    select kemendagri_district_digits from {{ ref('int_regions__kemendagri_districts') }}

),

coded as (

    {{ coded_select(columns, 'individuals', extra_columns=['birth_date_text', 'as_of_date']) }}

),

parsed as (

    {{ nik_parts('coded', 'nik', 'as_of_date') }}

),

final as (

    select
        parsed.*,
        coalesce(
            parsed.nik_invalid_reason,
            case when known_prefixes.kemendagri_district_digits is null then 'unknown_region' end
        ) as nik_problem,
        case
            when parsed.nik_sex is not null and parsed.sex_code is not null
                then parsed.nik_sex = cast(parsed.sex_code as {{ dbt.type_string() }})
        end as nik_sex_matches,
        case
            when parsed.nik_birth_date is not null and parsed.birth_date is not null
                then parsed.nik_birth_date = parsed.birth_date
        end as nik_birth_date_matches,
        coalesce(
            parsed.age_years,
            cast({{ age_in_years('parsed.birth_date', 'parsed.as_of_date') }} as integer)
        ) as age_at_reference
    from parsed
    left join known_prefixes
        on parsed.nik_kemendagri_prefix = known_prefixes.kemendagri_district_digits

)

select * from final
