{#- Trimmed, placeholders nulled and codes given back their leading zeros at load
    (scripts/load/typed.py, the column map in _reference__sources.yml). -#}
with

typed_rows as (

    select * from {{ source('reference', 'bps_villages_typed') }}

),

final as (

    select
        typed_rows.village_code,
        typed_rows.district_code,
        typed_rows.village_name,
        typed_rows._source_line as source_line
    from typed_rows

)

select * from final
