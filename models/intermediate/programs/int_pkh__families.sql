{#-
    One row per PKH family (IDPKH) of the payment lists, matched to a BDT household: by the
    IDBDT on the list when that household reached the marts, else by the recipient's NIK (a
    valid NIK of a BDT member that reached the marts), else not matched: the family becomes a
    household of source "PKH non-BDT", as the BDT 2017 update appended them.
    The family's identity (recipient, KK, region) is taken from its latest row with a valid
    stage, preferring rows whose region codes are complete.
-#}
with

payments as (

    select
        *,
        payment_year * {{ var('pkh_stages_per_year') }} + payment_stage - 1 as stage_index
    from {{ ref('stg_pkh__payments') }}
    where pkh_family_id is not null
        and payment_year between 2000 and 2100
        and payment_stage between 1 and {{ var('pkh_stages_per_year') }}

),

latest as (

    select
        payments.*,
        row_number() over (
            partition by payments.pkh_family_id
            order by
                case when payments.bps_village_code is null then 1 else 0 end,
                payments.stage_index desc,
                payments.source_file asc,
                payments.source_line asc
        ) as recency
    from payments

),

families as (

    select
        pkh_family_id,
        household_id as listed_household_id,
        recipient_nik,
        family_card_number,
        bps_village_code
    from latest
    where recency = 1

),

bdt_households as (

    select
        household_id,
        household_key
    from {{ ref('int_households__accepted') }}

),

bdt_members as (

    select
        nik,
        household_id,
        household_key
    from {{ ref('int_individuals__accepted') }}
    where nik_problem is null

),

final as (

    select
        families.pkh_family_id,
        {{ pkh_family_key('families.pkh_family_id') }} as pkh_family_key,
        families.listed_household_id,
        families.recipient_nik,
        families.family_card_number,
        families.bps_village_code,
        coalesce(by_id.household_id, by_nik.household_id) as matched_household_id,
        coalesce(by_id.household_key, by_nik.household_key) as matched_household_key,
        case
            when by_id.household_id is not null then 'IDBDT'
            when by_nik.household_id is not null then 'NIK'
        end as match_method
    from families
    left join bdt_households as by_id
        on families.listed_household_id = by_id.household_id
    left join bdt_members as by_nik
        on families.recipient_nik = by_nik.nik

)

select * from final
