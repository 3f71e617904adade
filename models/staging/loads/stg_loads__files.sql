{#-
    One row per raw file of a delivery found by the loader (raw._load_files), loaded or skipped;
    the reference lists (no delivery) are left out.
-#}
with

load_files as (

    select * from {{ source('loads', 'load_files') }}

),

final as (

    select
        load_files.delivery,
        load_files.{{ adapter.quote('table') }} as raw_table,
        load_files.file as file_name,
        load_files.rows as row_count,
        load_files.sha256,
        load_files.missing_optional_columns,
        load_files.skipped_reason,
        load_files.skipped_reason is null as is_loaded
    from load_files
    where load_files.delivery is not null

)

select * from final
