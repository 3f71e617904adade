{#-
    The Kemendagri kecamatan codes a NIK may start with: the national list when the reference
    folder was loaded, plus the Kota Tanjung Balai crosswalk seed (so a sample run without the
    national list still knows its own kecamatan).
-#}
with

national_districts as (

    select
        kemendagri_digits as kemendagri_district_digits,
        kemendagri_code as kemendagri_district_code,
        region_name as district_name
    from {{ ref('stg_reference__kemendagri_regions') }}
    where region_level = 'district'

),

seed_districts as (

    select
        replace(kemendagri_code, '.', '') as kemendagri_district_digits,
        kemendagri_code as kemendagri_district_code,
        name_kemendagri_2016 as district_name
    from {{ ref('region_crosswalk_tanjungbalai') }}
    where level = 'kec'

),

final as (

    select
        kemendagri_district_digits,
        kemendagri_district_code,
        district_name
    from national_districts

    union all

    select
        kemendagri_district_digits,
        kemendagri_district_code,
        district_name
    from seed_districts
    where kemendagri_district_digits not in (
            select national_districts.kemendagri_district_digits from national_districts
        )

)

select * from final
