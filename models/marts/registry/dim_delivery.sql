{#-
    One row per delivery loaded: label, as-of date, load time, whether the current marts show it,
    and its files and rows per raw table (the loader's records, raw._deliveries and
    raw._load_files), and the optional columns none of its loaded files of a table holds (the
    publication says "not in this delivery" for what they feed).
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

),

loaded_files_per_table as (

    select
        files.delivery,
        files.raw_table,
        count(*) as loaded_files
    from files
    where files.is_loaded
    group by files.delivery, files.raw_table

),

missing_cells as (

    select
        files.delivery,
        files.raw_table,
        {{ split_to_rows('files.missing_optional_columns') }} as column_name
    from files
    where files.is_loaded and files.missing_optional_columns <> ''

),

absent_columns as (

    -- missing from every loaded file of its raw table
    select
        missing_cells.delivery,
        missing_cells.raw_table || '.' || missing_cells.column_name as table_column
    from missing_cells
    inner join loaded_files_per_table
        on missing_cells.delivery = loaded_files_per_table.delivery
            and missing_cells.raw_table = loaded_files_per_table.raw_table
    group by
        missing_cells.delivery,
        missing_cells.raw_table,
        missing_cells.column_name,
        loaded_files_per_table.loaded_files
    having count(*) = loaded_files_per_table.loaded_files

),

absent_lists as (

    select
        absent_columns.delivery,
        -- sorted on every engine (Spark's listagg cannot order)
        {{ multiset_key('absent_columns.table_column') }} as absent_optional_columns
    from absent_columns
    group by absent_columns.delivery

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
    cast(coalesce(file_counts.fkp_sls_results_rows, 0) as bigint) as fkp_sls_results_rows,
    coalesce(absent_lists.absent_optional_columns, '') as absent_optional_columns
from deliveries
left join file_counts
    on deliveries.delivery = file_counts.delivery
left join absent_lists
    on deliveries.delivery = absent_lists.delivery
