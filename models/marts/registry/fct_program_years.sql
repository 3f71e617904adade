{#-
    One row per household, program and calendar year in which the household took part: the years
    of its spells in fct_program_spells (each spell covers every year from its start to its end),
    so that a BI user counts participants in a year without a range join. A household counts once
    per program and year whichever source says so (from_bdt_flags, from_payment_lists). For PKH,
    the stages of the payment lists in that year, summed over the household's PKH families.
-#}
with

spells as (

    select
        household_key,
        program_code,
        spell_source,
        cast(extract(year from start_date) as integer) as first_year,
        cast(extract(year from end_date) as integer) as last_year
    from {{ ref('fct_program_spells') }}

),

years as (

    select distinct year_number
    from {{ ref('dim_date') }}

),

spell_years as (

    select
        spells.household_key,
        spells.program_code,
        spells.spell_source,
        years.year_number
    from spells
    inner join years
        on years.year_number between spells.first_year and spells.last_year

),

participation as (

    select
        household_key,
        program_code,
        year_number,
        count(case when spell_source = 'BDT program flags' then 1 end) > 0 as from_bdt_flags,
        count(case when spell_source = 'PKH payment lists' then 1 end) > 0 as from_payment_lists
    from spell_years
    group by household_key, program_code, year_number

),

pkh_families as (

    select
        pkh_family_id,
        coalesce(matched_household_key, pkh_family_key) as household_key
    from {{ ref('int_pkh__families') }}

),

pkh_payments as (

    select
        pkh_families.household_key,
        payments.payment_year as year_number,
        count(*) as listed_stage_count,
        count(case when payments.is_paid then 1 end) as paid_stage_count,
        sum(case when payments.is_paid then payments.amount_idr else 0 end) as amount_paid_idr
    from {{ ref('int_pkh__payments_accepted') }} as payments
    inner join pkh_families
        on payments.pkh_family_id = pkh_families.pkh_family_id
    group by pkh_families.household_key, payments.payment_year

)

select
    participation.household_key,
    participation.program_code,
    participation.year_number,
    participation.from_bdt_flags,
    participation.from_payment_lists,
    pkh_payments.listed_stage_count,
    pkh_payments.paid_stage_count,
    cast(pkh_payments.amount_paid_idr as {{ type_double() }}) as amount_paid_idr,
    pkh_payments.paid_stage_count > 0 as is_pkh_paid
from participation
left join pkh_payments
    on participation.program_code = 'PKH'
        and participation.household_key = pkh_payments.household_key
        and participation.year_number = pkh_payments.year_number
