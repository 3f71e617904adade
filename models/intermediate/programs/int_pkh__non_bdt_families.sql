{#-
    The PKH families not found in the BDT that reach the marts as households of source
    "PKH non-BDT": unmatched in int_pkh__families and with at least one payment row that passed
    the quarantine (so their region is a known desa).
-#}
with

families as (

    select * from {{ ref('int_pkh__families') }}
    where matched_household_id is null

),

kept_payments as (

    select distinct pkh_family_id
    from {{ ref('int_pkh__payments_accepted') }}

)

select
    families.pkh_family_id,
    families.pkh_family_key,
    families.recipient_nik,
    families.family_card_number,
    families.bps_village_code
from families
inner join kept_payments
    on families.pkh_family_id = kept_payments.pkh_family_id
