{#- One row per BPS desa/kelurahan with its hierarchy and, where known, its Kemendagri codes. -#}
with

villages as (

    select * from {{ ref('int_regions__bps_villages') }}

),

crosswalk as (

    select
        cast(bps_code as {{ dbt.type_string() }}) as bps_code,
        kemendagri_code
    from {{ ref('region_crosswalk_tanjungbalai') }}

)

select
    villages.village_code,
    villages.village_name,
    villages.district_code,
    villages.district_name,
    villages.regency_code,
    villages.regency_name,
    villages.province_code,
    villages.province_name,
    village_crosswalk.kemendagri_code as kemendagri_village_code,
    district_crosswalk.kemendagri_code as kemendagri_district_code,
    regency_crosswalk.kemendagri_code as kemendagri_regency_code,
    villages.region_list
from villages
left join crosswalk as village_crosswalk
    on villages.village_code = village_crosswalk.bps_code
left join crosswalk as district_crosswalk
    on villages.district_code = district_crosswalk.bps_code
left join crosswalk as regency_crosswalk
    on villages.regency_code = regency_crosswalk.bps_code
