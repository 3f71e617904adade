{#-
    Which PKH payment rows (family x stage) reach the marts. Quarantined by the first rule
    that applies:
      missing_pkh_family_id     no IDPKH
      invalid_payment_stage     TAHUN not a year or TAHAP not 1..var('pkh_stages_per_year')
      duplicate_payment         the same family and stage on an earlier row (file, line order)
      pkh_family_unknown_village the family is not in the BDT and its region codes (those of
                                its identity row in int_pkh__families) name no desa
    stage_index numbers the stages on one axis (year x stages per year + stage) for spells.

    Scale: the wide payment rows are not sorted: only the rows of a family, year and stage on
    more than one row are ranked (macro repeated_key_ranks). The window over every payment row
    that this replaced sorted them all (the model took 502 s at national size, 7.7 s at 1m).
-#}
with

payments as (

    select * from {{ ref('stg_pkh__payments') }}

),

villages as (

    select village_code from {{ ref('int_regions__bps_villages') }}

),

stage_repeats as (

    {{ repeated_key_ranks(
        ref('stg_pkh__payments'),
        ['pkh_family_id', 'payment_year', 'payment_stage'],
        'stage_occurrence'
    ) }}

),

ranked as (

    select
        payments.*,
        payments.payment_year * {{ var('pkh_stages_per_year') }} + payments.payment_stage - 1
            as stage_index,
        coalesce(stage_repeats.stage_occurrence, 1) as stage_occurrence
    from payments
    left join stage_repeats
        on payments.source_file = stage_repeats.source_file
            and payments.source_line = stage_repeats.source_line

),

families as (

    select
        pkh_family_id,
        matched_household_id,
        bps_village_code
    from {{ ref('int_pkh__families') }}

),

final as (

    select
        ranked.*,
        case
            when ranked.pkh_family_id is null then 'missing_pkh_family_id'
            when ranked.payment_year is null
                or ranked.payment_year not between 2000 and 2100
                or ranked.payment_stage is null
                or ranked.payment_stage not between 1 and {{ var('pkh_stages_per_year') }}
                then 'invalid_payment_stage'
            when ranked.stage_occurrence > 1 then 'duplicate_payment'
            when families.matched_household_id is null and villages.village_code is null
                then 'pkh_family_unknown_village'
        end as quarantine_rule
    from ranked
    left join families
        on ranked.pkh_family_id = families.pkh_family_id
    left join villages
        on families.bps_village_code = villages.village_code

)

select * from final
