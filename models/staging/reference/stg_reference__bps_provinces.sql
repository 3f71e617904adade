with

source as (

    select * from {{ source('reference', 'bps_provinces') }}

),

final as (

    select
        {{ clean_region_code(clean_text('kode_provinsi'), 2) }} as province_code,
        {{ clean_text('nama_provinsi') }} as province_name,
        _source_line as source_line
    from source

)

select * from final
