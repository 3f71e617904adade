{#- Kemendagri codes, dotted as published (12.74.05) and as digits (127405, a NIK's prefix). -#}
with

source as (

    select * from {{ source('reference', 'kemendagri_regions') }}

),

cleaned as (

    select
        {{ clean_text('kode') }} as kemendagri_code,
        {{ clean_text('nama') }} as region_name,
        lower({{ clean_text('level') }}) as level_id,
        _source_line as source_line
    from source

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
