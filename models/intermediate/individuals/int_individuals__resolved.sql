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

    Scale: the windows that rank repeated IDARTBDTs and NIKs sort narrow rows only (file, line,
    ids, NIK); the wide rows of int_individuals__validated meet their rules in one hash join.
    Sorting the wide rows themselves spilled tens of GB at national size.
-#}

with

households as (

    select
        household_id,
        household_key,
        quarantine_rule as household_quarantine_rule
    from {{ ref('int_households__resolved') }}
    where household_id_occurrence = 1

),

identifiers as (

    select
        source_file,
        source_line,
        individual_id,
        household_id,
        nik,
        nik_problem,
        (case when nik_sex_matches then 1 else 0 end)
        + (case when nik_birth_date_matches then 1 else 0 end) as nik_agreement
    from {{ ref('int_individuals__validated') }}

),

id_ranked as (

    select
        identifiers.*,
        households.household_id is not null as household_found,
        households.household_key,
        households.household_quarantine_rule,
        row_number() over (
            partition by identifiers.individual_id
            order by identifiers.source_file, identifiers.source_line
        ) as individual_id_occurrence
    from identifiers
    left join households
        on identifiers.household_id = households.household_id

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

competition as (

    select
        row_rules.*,
        row_rules.row_rule is null and row_rules.nik_problem is null as competes_for_nik
    from row_rules

),

rules as (

    -- The rows that compete for a NIK (no row rule, valid NIK) are ranked among themselves; every
    -- other row sits in a partition of its own kind and is not judged by the NIK rule.
    select
        competition.source_file,
        competition.source_line,
        competition.household_found,
        competition.household_key,
        competition.household_quarantine_rule,
        competition.individual_id_occurrence,
        competition.row_rule,
        competition.competes_for_nik,
        competition.competes_for_nik
        and row_number() over nik_window > 1 as is_duplicate_nik,
        coalesce(
            competition.row_rule,
            case
                when not competition.competes_for_nik or row_number() over nik_window = 1
                    then null
                when first_value(competition.household_id) over nik_window
                    = competition.household_id
                    then 'duplicate_nik_within_household'
                else 'duplicate_nik_across_households'
            end
        ) as quarantine_rule
    from competition
    window nik_window as (
        partition by competition.competes_for_nik, competition.nik
        order by
            competition.nik_agreement desc,
            competition.source_file asc,
            competition.source_line asc
    )

),

final as (

    select
        validated.*,
        rules.household_found,
        rules.household_key,
        rules.household_quarantine_rule,
        rules.individual_id_occurrence,
        rules.row_rule,
        rules.competes_for_nik,
        {{ individual_key('validated.individual_id') }} as individual_key,
        {{ person_key('validated.nik', 'validated.nik_problem') }} as person_key,
        rules.is_duplicate_nik,
        rules.quarantine_rule
    from {{ ref('int_individuals__validated') }} as validated
    inner join rules
        on validated.source_file = rules.source_file
            and validated.source_line = rules.source_line

)

select * from final
