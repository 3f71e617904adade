{#-
    One row per spell: a beneficiary unit (PKH family, household or individual) receiving a
    program without interruption. Two sources:
      PKH payment lists   consecutive stages of a family (int_programs__pkh_spells); amounts paid
      BDT program flags   consecutive data vintages with the flag set (int_programs__bdt_flag_spells)
    Every spell points to a household (a PKH family not in the BDT is its own household).
    spell_key is the MD5 of the spell's program, source, keys and start (all pseudonymous).
-#}
with

pkh_spells as (

    select * from {{ ref('int_programs__pkh_spells') }}

),

pkh_families as (

    select * from {{ ref('int_pkh__families') }}

),

flag_spells as (

    select * from {{ ref('int_programs__bdt_flag_spells') }}

),

payment_spells as (

    select
        'PKH' as program_code,
        'family' as beneficiary_unit,
        'PKH payment lists' as spell_source,
        coalesce(pkh_families.matched_household_key, pkh_families.pkh_family_key) as household_key,
        cast(null as {{ type_key() }}) as individual_key,
        pkh_families.pkh_family_key,
        {{ pkh_stage_start_date('pkh_spells.first_stage_index') }} as start_date,
        {{ pkh_stage_end_date('pkh_spells.last_stage_index') }} as end_date,
        pkh_spells.stage_count,
        pkh_spells.paid_stage_count,
        pkh_spells.amount_paid_idr,
        cast(null as integer) as vintage_count
    from pkh_spells
    inner join pkh_families
        on pkh_spells.pkh_family_id = pkh_families.pkh_family_id

),

vintage_spells as (

    select
        flag_spells.program_code,
        flag_spells.beneficiary_unit,
        'BDT program flags' as spell_source,
        flag_spells.household_key,
        flag_spells.individual_key,
        cast(null as {{ type_key() }}) as pkh_family_key,
        {{ make_date('flag_spells.first_vintage_year', '1', '1') }} as start_date,
        {{ make_date('flag_spells.last_vintage_year', '12', '31') }} as end_date,
        cast(null as integer) as stage_count,
        cast(null as integer) as paid_stage_count,
        cast(null as {{ type_double() }}) as amount_paid_idr,
        flag_spells.vintage_count
    from flag_spells

),

spells as (

    select * from payment_spells
    union all
    select * from vintage_spells

)

select
    {{ key_from_hex(dbt.hash(
        "spells.program_code || '|' || spells.spell_source || '|'"
        ~ " || cast(spells.household_key as " ~ dbt.type_string() ~ ") || '|'"
        ~ " || coalesce(cast(spells.individual_key as " ~ dbt.type_string() ~ "), '') || '|'"
        ~ " || coalesce(cast(spells.pkh_family_key as " ~ dbt.type_string() ~ "), '')"
        ~ " || '|' || cast(spells.start_date as " ~ dbt.type_string() ~ ")"
    )) }} as spell_key,
    spells.program_code,
    spells.beneficiary_unit,
    spells.spell_source,
    spells.household_key,
    spells.individual_key,
    spells.pkh_family_key,
    spells.start_date,
    spells.end_date,
    spells.stage_count,
    spells.paid_stage_count,
    spells.amount_paid_idr,
    spells.vintage_count
from spells
