{#- One row per raw PKH payment row (family x stage): trimmed, typed; nothing dropped. -#}
{%- set columns = column_map('pkh__payments') -%}

with

source as (

    select * from {{ source('pkh', 'payments') }}

),

{{ staging_ctes(columns, extra_columns=[
    "upper(payment_status) = 'SALUR' as is_paid",
]) }}

select * from final
