with

source as (

    select * from {{ source('reference', 'bps_regencies') }}

),

final as (

    select
        {{ clean_region_code(clean_text('kode_kabupaten'), 4) }} as regency_code,
        {{ clean_region_code(clean_text('kode_provinsi'), 2) }} as province_code,
        {{ clean_text('nama_kabupaten') }} as regency_name,
        _source_line as source_line
    from source

)

select * from final
