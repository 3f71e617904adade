{#-
    Which BDT individual rows reach the marts. A row is quarantined (quarantine_rule not null)
    by the first rule that applies:
      missing_individual_id            no IDARTBDT
      duplicate_individual_id          an IDARTBDT already seen on an earlier row
      orphan_individual                its IDBDT is in no household row
      household_quarantined            its household row was quarantined
      duplicate_nik_within_household   its valid NIK is held by the survivor of the same household
      duplicate_nik_across_households  its valid NIK is held by the survivor of another household
    Duplicate NIKs (NIK ganda): among the remaining rows sharing a valid NIK, the survivor is the
    row whose NIK agrees with both its sex and its birth date, then the one that agrees with
    one of them, then the first in file order; the others are quarantined. Rows with an invalid
    NIK stay in the marts with their NIK flags (a NIK never changes: a mismatch is a flag, not
    proof of error).

    Scale: the two windows sort the wide member rows, the fastest form up to a few million rows
    (1m: 48 CPU-s, no spill). At national size (124 M rows) they spill more than 56 GB; the
    narrow-window and aggregate forms tried instead are slower and still spill (docs/benchmarks.md).
-#}
with

individuals as (

    select * from {{ ref('int_individuals__validated') }}

),

households as (

    select
        household_id,
        household_key,
        quarantine_rule as household_quarantine_rule
    from {{ ref('int_households__resolved') }}
    where household_id_occurrence = 1

),

id_ranked as (

    select
        individuals.*,
        households.household_id is not null as household_found,
        households.household_key,
        households.household_quarantine_rule,
        row_number() over (
            partition by individuals.individual_id
            order by individuals.source_file, individuals.source_line
        ) as individual_id_occurrence
    from individuals
    left join households
        on individuals.household_id = households.household_id

),

row_rules as (

    select
        id_ranked.*,
        case
            when id_ranked.individual_id is null then 'missing_individual_id'
            when id_ranked.individual_id_occurrence > 1 then 'duplicate_individual_id'
            when not id_ranked.household_found then 'orphan_individual'
            when id_ranked.household_quarantine_rule is not null then 'household_quarantined'
        end as row_rule
    from id_ranked

),

before_nik_rules as (

    select
        row_rules.*,
        row_rules.row_rule is null and row_rules.nik_problem is null as competes_for_nik
    from row_rules

),

final as (

    -- One window and no self-join for the duplicate-NIK rule: the rows that compete for a NIK (no
    -- row rule, valid NIK) are ranked among themselves; every other row sits in a partition of
    -- its own kind and is not judged by it.
    select
        before_nik_rules.*,
        {{ individual_key('before_nik_rules.individual_id') }} as individual_key,
        {{ person_key('before_nik_rules.nik', 'before_nik_rules.nik_problem') }} as person_key,
        before_nik_rules.competes_for_nik
        and row_number() over nik_window > 1 as is_duplicate_nik,
        coalesce(
            before_nik_rules.row_rule,
            case
                when not before_nik_rules.competes_for_nik or row_number() over nik_window = 1
                    then null
                when first_value(before_nik_rules.household_id) over nik_window
                    = before_nik_rules.household_id
                    then 'duplicate_nik_within_household'
                else 'duplicate_nik_across_households'
            end
        ) as quarantine_rule
    from before_nik_rules
    window nik_window as (
        partition by before_nik_rules.competes_for_nik, before_nik_rules.nik
        order by
            (case when before_nik_rules.nik_sex_matches then 1 else 0 end)
            + (case when before_nik_rules.nik_birth_date_matches then 1 else 0 end) desc,
            before_nik_rules.source_file asc,
            before_nik_rules.source_line asc
    )

)

select * from final
