{#-
    Every staged household row with its checks: codes outside their code list nulled (and
    named in codes_out_of_range), the BPS desa code assembled from KDPROP..KDDESA and looked up
    in the region list, and IDBDT compared with it. Nothing is dropped here.
-#}
{#- A view on DuckDB, inlined into int_households__resolved (one wide read, and two reads of the
    IDBDT and row address for the duplicate rule); a table, analysed, on PostgreSQL, whose planner
    misjudges the code-list joins of a view. -#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set columns = column_map('bdt', 'households') -%}

with

households as (

    select * from {{ ref('stg_bdt__households') }}

),

villages as (

    select village_code from {{ ref('int_regions__bps_villages') }}

),

coded as (

    {{ coded_select(columns, 'households') }}

),

final as (

    select
        coded.*,
        villages.village_code is not null as is_known_village,
        {{ regex_full_match('coded.household_id', '[0-9]{16}') }} as is_well_formed_household_id,
        substr(coded.household_id, 1, 10) = coded.bps_village_code as household_id_matches_village
    from coded
    left join villages
        on coded.bps_village_code = villages.village_code

)

select * from final
