{#-
    Which programs each BDT household received in the data: a program counts when the household
    has a spell of it from any source, the BDT program flags of 2015-2017 (household flags, or a
    member's flag for KIS/PBI and KIP) or the PKH payment lists of 2016-2017. Rastra and its
    successor BPNT count together as food aid. The one definition of "receives" used by the
    marts and the publication tables.
-#}
with

flag_spells as (

    select
        household_id,
        program_code
    from {{ ref('int_programs__bdt_flag_spells') }}

),

pkh_families as (

    select
        matched_household_id as household_id,
        'PKH' as program_code
    from {{ ref('int_pkh__families') }}
    where matched_household_id is not null
        and pkh_family_id in (
            select spells.pkh_family_id from {{ ref('int_programs__pkh_spells') }} as spells
        )

),

receipts as (

    select
        household_id,
        program_code
    from flag_spells

    union all

    select
        household_id,
        program_code
    from pkh_families

)

select
    household_id,
    count(case when program_code = 'PKH' then 1 end) > 0 as receives_pkh,
    count(case when program_code = 'KKS' then 1 end) > 0 as receives_kks,
    count(case when program_code = 'KIS_PBI' then 1 end) > 0 as receives_kis_pbi,
    count(case when program_code = 'KIP' then 1 end) > 0 as receives_kip,
    count(case when program_code in ('RASTRA', 'BPNT') then 1 end) > 0 as receives_rastra_bpnt
from receipts
group by household_id
