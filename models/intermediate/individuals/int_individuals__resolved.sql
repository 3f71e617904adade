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

    Scale: nothing sorts or hashes the wide rows. Repeated IDARTBDTs (macro repeated_key_ranks)
    and NIKs are found by aggregates over narrow scans of int_individuals__validated; only their
    few rows are ranked, and the wide rows stream through hash joins against small results
    (households, the ranks of repeated ids and NIKs). Sorting or joining back the wide rows
    spilled tens of GB at national size.
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

individual_id_repeats as (

    {{ repeated_key_ranks(ref('int_individuals__validated'), 'individual_id', 'individual_id_occurrence') }}

),

repeated_niks as (

    -- valid NIKs on more than one row (whether those rows compete for it is decided below)
    select nik
    from {{ ref('int_individuals__validated') }}
    where nik_problem is null
    group by nik
    having count(*) > 1

),

nik_candidates as (

    select
        validated.source_file,
        validated.source_line,
        validated.nik,
        validated.household_id,
        (case when validated.nik_sex_matches then 1 else 0 end)
        + (case when validated.nik_birth_date_matches then 1 else 0 end) as nik_agreement,
        {{ individual_row_rule('validated', 'households', 'individual_id_repeats') }} as row_rule
    from {{ ref('int_individuals__validated') }} as validated
    inner join repeated_niks
        on validated.nik = repeated_niks.nik
    left join households
        on validated.household_id = households.household_id
    left join individual_id_repeats
        on validated.source_file = individual_id_repeats.source_file
            and validated.source_line = individual_id_repeats.source_line
    where validated.nik_problem is null

),

nik_repeats as (

    -- the rows that compete for a repeated NIK (no row rule), ranked: 1 = survivor
    select
        nik_candidates.source_file,
        nik_candidates.source_line,
        row_number() over nik_window as nik_occurrence,
        first_value(nik_candidates.household_id) over nik_window as survivor_household_id
    from nik_candidates
    where nik_candidates.row_rule is null
    window nik_window as (
        partition by nik_candidates.nik
        order by
            nik_candidates.nik_agreement desc,
            nik_candidates.source_file asc,
            nik_candidates.source_line asc
    )

),

final as (

    select
        -- what the marts, the identity store and the quality rules read of int_individuals__validated
        -- (its other columns, the NIK's parts, the region code parts, the birth date's text and
        -- the two answers no mart publishes, stay in that view: 25 % of this table's bytes)
        validated.source_file,
        validated.source_line,
        validated.as_of_date,
        validated.individual_id,
        validated.household_id,
        validated.bps_village_code,
        validated.full_name,
        validated.nik,
        validated.family_card_number,
        validated.birth_place,
        validated.birth_date,
        validated.age_years,
        validated.family_number,
        validated.identity_documents_flags,
        validated.hours_worked,
        validated.sex_code,
        validated.relation_to_head_code,
        validated.relation_to_family_head_code,
        validated.marital_status_code,
        validated.pregnant_code,
        validated.uses_family_planning_code,
        validated.family_planning_method_code,
        validated.disability_code,
        validated.chronic_illness_code,
        validated.school_participation_code,
        validated.school_ownership_code,
        validated.education_level_code,
        validated.education_grade_code,
        validated.diploma_code,
        validated.worked_code,
        validated.business_sector_code,
        validated.employment_status_code,
        validated.kks_code,
        validated.pbi_code,
        validated.kip_code,
        validated.pkh_code,
        validated.rastra_code,
        validated.own_business_sector_code,
        validated.own_business_worker_count,
        validated.own_business_fixed_place_code,
        validated.own_business_turnover_code,
        validated.codes_out_of_range,
        validated.cast_failures,
        validated.padded_codes,
        validated.trimmed_cells,
        validated.placeholder_cells,
        validated.zero_date_cells,
        validated.nik_problem,
        validated.nik_sex_matches,
        validated.nik_birth_date_matches,
        validated.age_at_reference,
        households.household_id is not null as household_found,
        households.household_key,
        households.household_quarantine_rule,
        coalesce(individual_id_repeats.individual_id_occurrence, 1) as individual_id_occurrence,
        {{ individual_row_rule('validated', 'households', 'individual_id_repeats') }} as row_rule,
        validated.nik_problem is null
        and {{ individual_row_rule('validated', 'households', 'individual_id_repeats') }} is null
            as competes_for_nik,
        {{ individual_key('validated.individual_id') }} as individual_key,
        {{ person_key('validated.nik', 'validated.nik_problem') }} as person_key,
        coalesce(nik_repeats.nik_occurrence, 1) > 1 as is_duplicate_nik,
        coalesce(
            {{ individual_row_rule('validated', 'households', 'individual_id_repeats') }},
            case
                when nik_repeats.nik_occurrence > 1
                    and nik_repeats.survivor_household_id = validated.household_id
                    then 'duplicate_nik_within_household'
                when nik_repeats.nik_occurrence > 1
                    then 'duplicate_nik_across_households'
            end
        ) as quarantine_rule
    from {{ ref('int_individuals__validated') }} as validated
    left join households
        on validated.household_id = households.household_id
    left join individual_id_repeats
        on validated.source_file = individual_id_repeats.source_file
            and validated.source_line = individual_id_repeats.source_line
    left join nik_repeats
        on validated.source_file = nik_repeats.source_file
            and validated.source_line = nik_repeats.source_line

)

select * from final
