{#-
    One row per raw FKP row (one SLS of one desa's Berita Acara): trimmed, typed.
    The column map (raw column -> staged name and kind) is in the source YAML,
    models/staging/fkp/_fkp__sources.yml: each raw column's meta staged_as and kind. The steps are
    macros of macros/staging/stage_columns.sql, which says what each one does. Only the rows of
    the current delivery (macro current_delivery: var delivery, else the latest), each with its
    delivery label and as-of date.
-#}
{%- set columns = column_map('fkp', 'sls_results') -%}

with

current_delivery as (

    select
        deliveries.delivery,
        deliveries.as_of_date
    from {{ source('loads', 'deliveries') }} as deliveries
    where deliveries.delivery = {{ current_delivery() }}

),

source as (

    select
        raw_rows.*,
        current_delivery.as_of_date as _as_of_date
    from {{ source('fkp', 'sls_results') }} as raw_rows
    inner join current_delivery
        on raw_rows._delivery = current_delivery.delivery
    -- the same filter as a value, so that only the current delivery's rows or files are read
    where raw_rows._delivery = {{ current_delivery() }}

),

trimmed as (

    select
        _source_file,
        _source_line,
        _delivery,
        _as_of_date,
        {{ staging_trimmed(columns) }}
    from source

),

cleaned as (

    select
        _source_file,
        _source_line,
        _delivery,
        _as_of_date,
        _trimmed_cells,
        {{ staging_cleaned(columns) }}
    from trimmed

),

typed as (

    select
        _source_file,
        _source_line,
        _delivery,
        _as_of_date,
        _trimmed_cells,
        _placeholder_cells,
        _zero_date_cells,
        {{ staging_typed(columns) }}
    from cleaned

),

final as (

    select
        _source_file as source_file,
        _source_line as source_line,
        _delivery as delivery,
        _as_of_date as as_of_date,
        {{ staging_final(columns) }}
    from typed

)

select * from final
