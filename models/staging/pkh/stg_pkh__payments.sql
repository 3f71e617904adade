{#-
    One row per raw PKH payment row (family x stage): trimmed, typed at load; nothing dropped.
    The column map (raw column -> staged name and kind) is in the source YAML,
    models/staging/pkh/_pkh__sources.yml: each raw column's meta staged_as and kind. The loader typed
    every value once (scripts/load/typed.py) into the typed raw table read here. Only the rows of
    the current delivery (macro current_delivery: var delivery, else the latest), each with its
    delivery label and as-of date.
-#}
{%- set columns = column_map('pkh', 'payments') -%}

with

current_delivery as (

    select
        deliveries.delivery,
        deliveries.as_of_date
    from {{ source('loads', 'deliveries') }} as deliveries
    where deliveries.delivery = {{ current_delivery() }}

),

typed as (

    select
        typed_rows.*,
        current_delivery.as_of_date as _as_of_date
    from {{ source('pkh', 'payments_typed') }} as typed_rows
    inner join current_delivery
        on typed_rows._delivery = current_delivery.delivery
    -- the same filter as a value, so that only the current delivery's rows or files are read
    where typed_rows._delivery = {{ current_delivery() }}

),

final as (

    select
        _source_file as source_file,
        _source_line as source_line,
        _delivery as delivery,
        _as_of_date as as_of_date,
        upper(payment_status) = 'SALUR' as is_paid,
        {{ typed_columns(columns) }}
    from typed

)

select * from final
