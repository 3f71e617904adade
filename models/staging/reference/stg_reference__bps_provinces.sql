{#- Trimmed, placeholders nulled and codes given back their leading zeros at load
    (scripts/load/typed.py, the column map in _reference__sources.yml). -#}
with

typed_rows as (

    select * from {{ source('reference', 'bps_provinces_typed') }}

),

final as (

    select
        typed_rows.province_code,
        typed_rows.province_name,
        typed_rows._source_line as source_line
    from typed_rows

)

select * from final
