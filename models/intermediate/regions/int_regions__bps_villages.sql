{#-
    Every BPS desa/kelurahan with its kecamatan, kabupaten/kota and province, from the national
    Master File Desa when the reference folder was loaded, else from the Kota Tanjung Balai seed.
    A code published twice (2 desa in Papua Barat) keeps its first line.
-#}
with

national_villages as (

    select
        village.village_code,
        village.village_name,
        district.district_code,
        district.district_name,
        regency.regency_code,
        regency.regency_name,
        province.province_code,
        province.province_name,
        'BPS Master File Desa 2018' as region_list,
        row_number() over (
            partition by village.village_code order by village.source_line
        ) as code_occurrence
    from {{ ref('stg_reference__bps_villages') }} as village
    inner join {{ ref('stg_reference__bps_districts') }} as district
        on village.district_code = district.district_code
    inner join {{ ref('stg_reference__bps_regencies') }} as regency
        on district.regency_code = regency.regency_code
    inner join {{ ref('stg_reference__bps_provinces') }} as province
        on regency.province_code = province.province_code

),

seed_regions as (

    select
        level,
        cast(bps_code as {{ dbt.type_string() }}) as bps_code,
        cast(parent_bps_code as {{ dbt.type_string() }}) as parent_bps_code,
        name
    from {{ ref('bps_regions_tanjungbalai') }}

),

seed_villages as (

    select
        village.bps_code as village_code,
        village.name as village_name,
        district.bps_code as district_code,
        district.name as district_name,
        regency.bps_code as regency_code,
        regency.name as regency_name,
        province.bps_code as province_code,
        province.name as province_name,
        'seed bps_regions_tanjungbalai' as region_list,
        1 as code_occurrence
    from seed_regions as village
    inner join seed_regions as district
        on village.parent_bps_code = district.bps_code and district.level = 'kec'
    inner join seed_regions as regency
        on district.parent_bps_code = regency.bps_code and regency.level = 'kab'
    inner join seed_regions as province
        on regency.parent_bps_code = province.bps_code and province.level = 'prov'
    where village.level = 'desa'

),

listed_villages as (

    -- the national list when it was loaded, else the seed
    select * from national_villages
    union all
    select * from seed_villages
    where not exists (select 1 from national_villages)

),

final as (

    select
        village_code,
        village_name,
        district_code,
        district_name,
        regency_code,
        regency_name,
        province_code,
        province_name,
        region_list
    from listed_villages
    where code_occurrence = 1

)

select * from final
