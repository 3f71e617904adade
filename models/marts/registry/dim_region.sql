{#-
    One row per BPS desa/kelurahan with its hierarchy, the ISO 3166-2 code of its province, its
    Kemendagri codes where known, and whether the data holds households there.
-#}
with

villages as (

    select * from {{ ref('int_regions__bps_villages') }}

),

crosswalk as (

    select
        cast(bps_code as {{ dbt.type_string() }}) as bps_code,
        kemendagri_code
    from {{ ref('region_crosswalk_tanjungbalai') }}

),

province_iso_codes as (

    select
        cast(province_code as {{ dbt.type_string() }}) as province_code,
        iso_3166_2_code
    from {{ ref('province_iso_codes') }}

),

villages_with_households as (

    -- The desa of dim_household's two kinds of household, read from its inputs, so that
    -- dim_household (whose village_code refers to dim_region) stays downstream of dim_region.
    select bps_village_code as village_code
    from {{ ref('int_households__accepted') }}
    union
    select bps_village_code as village_code
    from {{ ref('int_pkh__non_bdt_families') }}

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
    province_iso_codes.iso_3166_2_code as province_iso_code,
    village_crosswalk.kemendagri_code as kemendagri_village_code,
    district_crosswalk.kemendagri_code as kemendagri_district_code,
    regency_crosswalk.kemendagri_code as kemendagri_regency_code,
    villages.region_list,
    villages_with_households.village_code is not null as has_households
from villages
left join province_iso_codes
    on villages.province_code = province_iso_codes.province_code
left join crosswalk as village_crosswalk
    on villages.village_code = village_crosswalk.bps_code
left join crosswalk as district_crosswalk
    on villages.district_code = district_crosswalk.bps_code
left join crosswalk as regency_crosswalk
    on villages.regency_code = regency_crosswalk.bps_code
left join villages_with_households
    on villages.village_code = villages_with_households.village_code
