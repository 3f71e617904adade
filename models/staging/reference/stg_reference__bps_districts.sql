with

source as (

    select * from {{ source('reference', 'bps_districts') }}

),

final as (

    select
        {{ clean_region_code(clean_text('kode_kecamatan'), 7) }} as district_code,
        {{ clean_region_code(clean_text('kode_kabupaten'), 4) }} as regency_code,
        {{ clean_text('nama_kecamatan') }} as district_name,
        _source_line as source_line
    from source

)

select * from final
