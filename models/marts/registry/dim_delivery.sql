{#-
    One row per delivery loaded: label, as-of date, load time, whether the current marts show it,
    and its files and rows per raw table (the loader's records, raw._deliveries and
    raw._load_files).
-#}
with

deliveries as (

    select * from {{ ref('stg_loads__deliveries') }}

),

files as (

    select * from {{ ref('stg_loads__files') }}

),

file_counts as (

    select
        files.delivery,
        count(*) as files_found,
        sum(case when files.is_loaded then 1 else 0 end) as files_loaded,
        sum(case when files.raw_table = 'bdt_households' then files.row_count else 0 end)
            as bdt_households_rows,
        sum(case when files.raw_table = 'bdt_individuals' then files.row_count else 0 end)
            as bdt_individuals_rows,
        sum(case when files.raw_table = 'pkh_payments' then files.row_count else 0 end)
            as pkh_payments_rows,
        sum(case when files.raw_table = 'fkp_sls_results' then files.row_count else 0 end)
            as fkp_sls_results_rows
    from files
    group by files.delivery

)

select
    deliveries.delivery,
    deliveries.as_of_date,
    deliveries.loaded_at,
    deliveries.is_current,
    cast(coalesce(file_counts.files_found, 0) as integer) as files_found,
    cast(coalesce(file_counts.files_loaded, 0) as integer) as files_loaded,
    cast(coalesce(file_counts.bdt_households_rows, 0) as bigint) as bdt_households_rows,
    cast(coalesce(file_counts.bdt_individuals_rows, 0) as bigint) as bdt_individuals_rows,
    cast(coalesce(file_counts.pkh_payments_rows, 0) as bigint) as pkh_payments_rows,
    cast(coalesce(file_counts.fkp_sls_results_rows, 0) as bigint) as fkp_sls_results_rows
from deliveries
left join file_counts
    on deliveries.delivery = file_counts.delivery
