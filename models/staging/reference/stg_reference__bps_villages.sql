with

source as (

    select * from {{ source('reference', 'bps_villages') }}

),

final as (

    select
        {{ clean_region_code(clean_text('kode_desa'), 10) }} as village_code,
        {{ clean_region_code(clean_text('kode_kecamatan'), 7) }} as district_code,
        {{ clean_text('nama_desa') }} as village_name,
        _source_line as source_line
    from source

)

select * from final
