{#- One row per raw FKP row (one SLS of one desa's Berita Acara): trimmed, typed. -#}
{%- set columns = column_map('fkp__sls_results') -%}

with

source as (

    select * from {{ source('fkp', 'sls_results') }}

),

{{ staging_ctes(columns) }}

select * from final
