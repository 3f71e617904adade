{#-
    Household composition from the members that reach the marts (one row per household that
    has at least one). Ages are completed years at the data's reference date.
      dependents            members under 15 or aged 65 and over
      other_working_members members other than the head and the spouse(s) who worked
      health_unknown        members whose disability or chronic illness is not known
      head_implied_diploma  the head's diploma under the school skip rule (macro
                            implied_diploma_code: 0 when the head never attended school)
      own_business_*        members running a business of their own (lapangan_usahaART not
                            blank), in all and by the sector groups of var household_indicators
      family_planning_*     married women 15-49 (asked the KB question: macro
                            is_family_planning_asked), those using KB and those whose answer is
                            unknown
      children_0_17_*       members aged 0-17, those with a birth certificate (macro
                            has_birth_certificate) and those whose documents are unknown
    The head is the first member with Hub_KRT = 1 in file order (head_count says how many).
-#}
{%- set sector_groups = var('household_indicators').head_sector_groups -%}
{%- set married_woman_15_49 = is_family_planning_asked(
    'sex_code', 'marital_status_code', 'age_at_reference'
) ~ ' and age_at_reference between 15 and 49' -%}

with

heads as (

    select
        household_id,
        individual_id as head_individual_id,
        sex_code as head_sex_code,
        age_at_reference as head_age,
        marital_status_code as head_marital_status_code,
        diploma_code as head_diploma_code,
        {{ implied_diploma_code('school_participation_code', 'diploma_code') }}
            as head_implied_diploma_code,
        education_level_code as head_education_level_code,
        worked_code as head_worked_code,
        business_sector_code as head_business_sector_code,
        employment_status_code as head_employment_status_code,
        row_number() over (
            partition by household_id order by source_file, source_line
        ) as head_order
    from {{ ref('int_individuals__accepted') }}
    where relation_to_head_code = 1

),

counts as (

    select
        household_id,
        count(*) as member_count,
        count(case when relation_to_head_code = 1 then 1 end) as head_count,
        count(case when relation_to_head_code = 2 then 1 end) as spouse_count,
        count(case when relation_to_head_code = 2 and worked_code = 1 then 1 end)
            as working_spouse_count,
        count(case when worked_code = 1 then 1 end) as working_member_count,
        count(case when relation_to_head_code not in (1, 2) and worked_code = 1 then 1 end)
            as other_working_member_count,
        count(case when age_at_reference < 15 or age_at_reference >= 65 then 1 end)
            as dependent_count,
        count(case when age_at_reference between 15 and 64 then 1 end) as working_age_count,
        count(case when age_at_reference >= 60 then 1 end) as elderly_count,
        count(case when age_at_reference < 7 then 1 end) as children_0_6_count,
        count(case when age_at_reference between 7 and 12 then 1 end) as children_7_12_count,
        count(case when age_at_reference between 13 and 15 then 1 end) as children_13_15_count,
        count(case when age_at_reference between 16 and 18 then 1 end) as children_16_18_count,
        count(case when age_at_reference between 10 and 17 and worked_code = 1 then 1 end)
            as working_children_10_17_count,
        count(case when disability_code > 0 then 1 end) as disabled_member_count,
        count(case when chronic_illness_code > 0 then 1 end) as chronically_ill_member_count,
        count(case when disability_code is null or chronic_illness_code is null then 1 end)
            as health_unknown_member_count,
        count(case when pregnant_code = 1 then 1 end) as pregnant_member_count,
        count(case when own_business_sector_code is not null then 1 end)
            as own_business_member_count,
        {%- for group, bounds in sector_groups.items() %}
            count(
                case
                    when own_business_sector_code between {{ bounds[0] }} and {{ bounds[1] }}
                        then 1
                end
            ) as own_business_{{ group }}_member_count,
        {%- endfor %}
        count(case when {{ married_woman_15_49 }} then 1 end) as family_planning_women_15_49_count,
        count(case when {{ married_woman_15_49 }} and uses_family_planning_code = 1 then 1 end)
            as family_planning_users_15_49_count,
        count(case when {{ married_woman_15_49 }} and uses_family_planning_code is null then 1 end)
            as family_planning_unknown_15_49_count,
        count(case when age_at_reference between 0 and 17 then 1 end) as children_0_17_count,
        count(
            case
                when age_at_reference between 0 and 17
                    and {{ has_birth_certificate('identity_documents_flags') }} then 1
            end
        ) as children_0_17_with_birth_certificate_count,
        count(
            case
                when age_at_reference between 0 and 17 and identity_documents_flags is null
                    then 1
            end
        ) as children_0_17_documents_unknown_count
    from {{ ref('int_individuals__accepted') }}
    group by household_id

),

families as (

    -- distinct pairs, then a plain count: count(distinct) in the aggregate above keeps a set
    -- per household, and spilled 18 GB at national size (26.6 M households)
    select
        household_families.household_id,
        count(*) as family_count
    from (
        select distinct
            household_id,
            family_number
        from {{ ref('int_individuals__accepted') }}
        where family_number is not null
    ) as household_families
    group by household_families.household_id

),

final as (

    select
        counts.household_id,
        counts.member_count,
        coalesce(families.family_count, 0) as family_count,
        counts.head_count,
        counts.spouse_count,
        counts.working_spouse_count,
        counts.working_member_count,
        counts.other_working_member_count,
        counts.dependent_count,
        counts.working_age_count,
        counts.elderly_count,
        counts.children_0_6_count,
        counts.children_7_12_count,
        counts.children_13_15_count,
        counts.children_16_18_count,
        counts.working_children_10_17_count,
        counts.disabled_member_count,
        counts.chronically_ill_member_count,
        counts.health_unknown_member_count,
        counts.pregnant_member_count,
        counts.own_business_member_count,
        {%- for group in sector_groups %}
            counts.own_business_{{ group }}_member_count,
        {%- endfor %}
        counts.family_planning_women_15_49_count,
        counts.family_planning_users_15_49_count,
        counts.family_planning_unknown_15_49_count,
        counts.children_0_17_count,
        counts.children_0_17_with_birth_certificate_count,
        counts.children_0_17_documents_unknown_count,
        heads.head_individual_id,
        heads.head_sex_code,
        heads.head_age,
        heads.head_marital_status_code,
        heads.head_diploma_code,
        heads.head_implied_diploma_code,
        heads.head_education_level_code,
        heads.head_worked_code,
        heads.head_business_sector_code,
        heads.head_employment_status_code
    from counts
    left join families
        on counts.household_id = families.household_id
    left join heads
        on counts.household_id = heads.household_id
            and heads.head_order = 1

)

select * from final
