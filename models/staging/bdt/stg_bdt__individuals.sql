{#- One row per raw individual row: trimmed, placeholders nulled, typed; nothing dropped. -#}
{%- set columns = column_map('bdt__individuals') -%}

with

source as (

    select * from {{ source('bdt', 'individuals') }}

),

{{ staging_ctes(columns, extra_columns=[
    "tgllahir as birth_date_text",
]) }}

select * from final
