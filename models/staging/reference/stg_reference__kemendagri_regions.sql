{#- Kemendagri codes, dotted as published (12.74.05) and as digits (127405, a NIK's prefix);
    trimmed and placeholders nulled at load (scripts/load/typed.py). -#}
with

typed_rows as (

    select * from {{ source('reference', 'kemendagri_regions_typed') }}

),

cleaned as (

    select
        typed_rows.kemendagri_code,
        typed_rows.region_name,
        lower(typed_rows.level_text) as level_id,
        typed_rows._source_line as source_line
    from typed_rows

),

final as (

    select
        kemendagri_code,
        replace(kemendagri_code, '.', '') as kemendagri_digits,
        case level_id
            when 'provinsi' then 'province'
            when 'kabupaten' then 'regency'
            when 'kecamatan' then 'district'
            when 'desa' then 'village'
        end as region_level,
        region_name,
        source_line
    from cleaned

)

select * from final
