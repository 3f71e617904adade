{#-
    One row per BDT household member that passed the quarantine. No name, NIK, KK, birth
    place or birth date: individual_key is a keyed pseudonym of the IDARTBDT, person_key of the
    NIK when it is valid (the same person keeps it across vintages and programs).
-#}
with

individuals as (

    select * from {{ ref('int_individuals__resolved') }}
    where quarantine_rule is null

)

select
    individuals.individual_key,
    individuals.person_key,
    individuals.household_key,
    individuals.family_number,
    individuals.relation_to_head_code,
    {{ code_label('hub_krt', 'individuals.relation_to_head_code') }} as relation_to_head,
    individuals.relation_to_family_head_code,
    individuals.sex_code,
    {{ code_label('jnskel', 'individuals.sex_code') }} as sex,
    individuals.age_at_reference as age_years,
    individuals.marital_status_code,
    {{ code_label('sta_kawin', 'individuals.marital_status_code') }} as marital_status,
    individuals.pregnant_code,
    individuals.disability_code,
    {{ code_label('jenis_cacat', 'individuals.disability_code') }} as disability,
    individuals.chronic_illness_code,
    {{ code_label('penyakit_kronis', 'individuals.chronic_illness_code') }} as chronic_illness,
    individuals.school_participation_code,
    {{ code_label('partisipasi_sekolah', 'individuals.school_participation_code') }} as school_participation,
    individuals.education_level_code,
    {{ code_label('pendidikan_tertinggi', 'individuals.education_level_code') }} as education_level,
    individuals.education_grade_code,
    individuals.diploma_code,
    {{ code_label('ijazah_tertinggi', 'individuals.diploma_code') }} as diploma,
    individuals.worked_code,
    individuals.hours_worked,
    individuals.business_sector_code,
    {{ code_label('lapangan_usaha', 'individuals.business_sector_code') }} as business_sector,
    individuals.employment_status_code,
    {{ code_label('status_pekerjaan', 'individuals.employment_status_code') }} as employment_status,
    individuals.identity_documents_flags,
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
