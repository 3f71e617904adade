{#-
    One row per BDT household member that passed the quarantine. No name, NIK, KK, birth
    place or birth date: individual_key is a keyed pseudonym of the IDARTBDT, person_key of the
    NIK when it is valid (the same person keeps it across vintages and programs).
-#}
with

individuals as (

    select * from {{ ref('int_individuals__accepted') }}

)

select
    individuals.individual_key,
    individuals.person_key,
    individuals.household_key,
    individuals.family_number,
    individuals.relation_to_head_code,
    label_relation_to_head.label_en as relation_to_head_label_en,
    label_relation_to_head.label_id as relation_to_head_label_id,
    individuals.relation_to_family_head_code,
    individuals.sex_code,
    label_sex.label_en as sex_label_en,
    label_sex.label_id as sex_label_id,
    individuals.age_at_reference as age_years,
    individuals.marital_status_code,
    label_marital_status.label_en as marital_status_label_en,
    label_marital_status.label_id as marital_status_label_id,
    {{ is_pregnancy_asked(
        'individuals.sex_code', 'individuals.marital_status_code', 'individuals.age_at_reference'
    ) }} as is_pregnancy_asked,
    individuals.pregnant_code,
    {{ is_family_planning_asked(
        'individuals.sex_code', 'individuals.marital_status_code', 'individuals.age_at_reference'
    ) }} as is_family_planning_asked,
    individuals.uses_family_planning_code,
    individuals.family_planning_method_code,
    label_family_planning_method.label_en as family_planning_method_label_en,
    label_family_planning_method.label_id as family_planning_method_label_id,
    individuals.disability_code,
    label_disability.label_en as disability_label_en,
    label_disability.label_id as disability_label_id,
    individuals.chronic_illness_code,
    label_chronic_illness.label_en as chronic_illness_label_en,
    label_chronic_illness.label_id as chronic_illness_label_id,
    individuals.school_participation_code,
    label_school_participation.label_en as school_participation_label_en,
    label_school_participation.label_id as school_participation_label_id,
    {{ is_school_status_asked('individuals.school_participation_code') }} as is_school_status_asked,
    individuals.school_ownership_code,
    individuals.education_level_code,
    label_education_level.label_en as education_level_label_en,
    label_education_level.label_id as education_level_label_id,
    individuals.education_grade_code,
    individuals.diploma_code,
    label_diploma.label_en as diploma_label_en,
    label_diploma.label_id as diploma_label_id,
    {{ implied_diploma_code('individuals.school_participation_code', 'individuals.diploma_code') }}
        as implied_diploma_code,
    {{ is_work_asked('individuals.age_at_reference') }} as is_work_asked,
    individuals.worked_code,
    {{ is_job_asked('individuals.worked_code') }} as is_job_asked,
    individuals.hours_worked,
    individuals.business_sector_code,
    label_business_sector.label_en as business_sector_label_en,
    label_business_sector.label_id as business_sector_label_id,
    individuals.employment_status_code,
    label_employment_status.label_en as employment_status_label_en,
    label_employment_status.label_id as employment_status_label_id,
    individuals.own_business_sector_code,
    label_own_business_sector.label_en as own_business_sector_label_en,
    label_own_business_sector.label_id as own_business_sector_label_id,
    individuals.own_business_worker_count,
    individuals.own_business_fixed_place_code,
    individuals.own_business_turnover_code,
    label_own_business_turnover.label_en as own_business_turnover_label_en,
    label_own_business_turnover.label_id as own_business_turnover_label_id,
    individuals.identity_documents_flags,
    {{ has_birth_certificate('individuals.identity_documents_flags') }} as has_birth_certificate,
    individuals.kks_code,
    individuals.pbi_code,
    individuals.kip_code,
    individuals.pkh_code,
    individuals.rastra_code,
    individuals.nik_problem is null as is_nik_valid,
    individuals.nik_problem,
    individuals.nik_sex_matches,
    individuals.nik_birth_date_matches,
    individuals.birth_date is null as is_birth_date_missing
from individuals
{{ code_label_join('hub_krt', 'individuals.relation_to_head_code', 'label_relation_to_head') }}
{{ code_label_join('jnskel', 'individuals.sex_code', 'label_sex') }}
{{ code_label_join('sta_kawin', 'individuals.marital_status_code', 'label_marital_status') }}
{{ code_label_join('jenis_cacat', 'individuals.disability_code', 'label_disability') }}
{{ code_label_join('penyakit_kronis', 'individuals.chronic_illness_code', 'label_chronic_illness') }}
{{ code_label_join(
    'partisipasi_sekolah', 'individuals.school_participation_code', 'label_school_participation'
) }}
{{ code_label_join('pendidikan_tertinggi', 'individuals.education_level_code', 'label_education_level') }}
{{ code_label_join('ijazah_tertinggi', 'individuals.diploma_code', 'label_diploma') }}
{{ code_label_join('lapangan_usaha', 'individuals.business_sector_code', 'label_business_sector') }}
{{ code_label_join('status_pekerjaan', 'individuals.employment_status_code', 'label_employment_status') }}
{{ code_label_join('alat_kb', 'individuals.family_planning_method_code', 'label_family_planning_method') }}
{{ code_label_join(
    'lapangan_usahaart', 'individuals.own_business_sector_code', 'label_own_business_sector'
) }}
{{ code_label_join('omset_usaha', 'individuals.own_business_turnover_code', 'label_own_business_turnover') }}
