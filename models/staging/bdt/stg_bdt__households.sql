{#- One row per raw household row: trimmed, placeholders nulled, typed; nothing dropped. -#}
{%- set columns = column_map('bdt__households') -%}

with

source as (

    select * from {{ source('bdt', 'households') }}

),

{{ staging_ctes(columns) }}

select * from final
