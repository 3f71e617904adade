{#-
    One row per member row of the current delivery that reaches the member marts' checks (no row
    rule: IDARTBDT present and not repeated, household found and not quarantined), rows with a
    duplicated NIK included (their member is there; only their NIK is not evidence). Keys only:
    household, member (IDARTBDT) and person (valid NIK) pseudonyms, whether the member heads the
    household, whether the NIK is valid and unique within the delivery, the NIK problem kind and
    the age at the delivery's as-of date. Incremental, keyed on the delivery (delete+insert): a
    run writes the current delivery's rows and leaves the others.
-#}

with

current_delivery as (

    select
        loaded.delivery,
        loaded.as_of_date
    from {{ ref('stg_loads__deliveries') }} as loaded
    where loaded.is_current

),

members as (

    select
        resolved.household_key,
        resolved.individual_key,
        resolved.person_key,
        resolved.nik_problem,
        resolved.age_years,
        coalesce(resolved.relation_to_head_code = 1, false) as is_head
    from {{ ref('int_individuals__resolved') }} as resolved
    where resolved.row_rule is null

),

nik_rows as (

    select
        members.person_key,
        count(*) as row_count
    from members
    where members.person_key is not null
    group by members.person_key

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        members.household_key,
        members.individual_key,
        members.person_key,
        members.is_head,
        members.person_key is not null as has_valid_nik,
        coalesce(nik_rows.row_count = 1, false) as is_nik_unique,
        members.nik_problem,
        members.age_years
    from members
    cross join current_delivery
    left join nik_rows
        on members.person_key = nik_rows.person_key

)

select
    final.delivery,
    final.as_of_date,
    final.household_key,
    final.individual_key,
    final.person_key,
    final.is_head,
    final.has_valid_nik,
    final.is_nik_unique,
    final.nik_problem,
    final.age_years
from final
