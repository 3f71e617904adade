{#-
    The skip rules of the PBDT 2015 individual questionnaire, each written once. A question the
    rules skip is "not applicable" (its *_asked flag is false) or has an implied answer; a blank
    where the question was asked is "unknown". A skipped question is never read as "no" and
    never as "unknown".

      school questions   Pendidikan_tertinggi, Kelas_tertinggi, Ijazah_tertinggi are skipped for
                         members who never attended school (Partisipasi_sekolah = 0): their
                         implied diploma is 0, "no diploma"
      work               Sta_Bekerja is asked of members aged 5 and over
      job                Jumlah_jamkerja, Lapangan_usaha, Status_pekerjaan are asked of members
                         who worked in the past week (Sta_Bekerja = 1); so is the member's own
                         business (lapangan_usahaART, jumlah_pekerja, lokasi_usaha, omset_usaha:
                         all blank when the member runs none)
      pregnancy          Sta_hamil is asked of women ever married (Sta_kawin 2, 3 or 4) aged 10-49
      family planning    Sta_KB is asked of married women (Sta_kawin 2) aged 10-49; Alat_KB of
                         those who use KB (Sta_KB = 1)
      school status      Sta_sekolah (public/private) is asked of members still in school
                         (Partisipasi_sekolah = 1)

    Each macro returns SQL; a flag is null when what decides it is unknown (e.g. a blank age).
-#}

{#- The highest diploma with the school skip rule: 0 (none) for a member who never attended
    school, else the reported code (null when it was asked and left blank or out of its list). -#}
{% macro implied_diploma_code(school_participation_code, diploma_code) -%}
    case when {{ school_participation_code }} = 0 then 0 else {{ diploma_code }} end
{%- endmacro %}

{#- Whether the work question (Sta_Bekerja) applies: aged 5 and over. -#}
{% macro is_work_asked(age_years) -%}
    ({{ age_years }} >= 5)
{%- endmacro %}

{#- Whether the job questions (hours, sector, status) and the own-business questions apply:
    worked in the past week. -#}
{% macro is_job_asked(worked_code) -%}
    case when {{ worked_code }} is not null then {{ worked_code }} = 1 end
{%- endmacro %}

{#- Whether the pregnancy question applies: a woman ever married aged 10-49. -#}
{% macro is_pregnancy_asked(sex_code, marital_status_code, age_years) -%}
    case
        when {{ sex_code }} = 1 then false
        when {{ marital_status_code }} = 1 then false
        when {{ age_years }} < 10 or {{ age_years }} > 49 then false
        when {{ sex_code }} = 2 and {{ marital_status_code }} in (2, 3, 4)
            and {{ age_years }} between 10 and 49 then true
    end
{%- endmacro %}

{#- Whether the family-planning question (Sta_KB) applies: a married woman aged 10-49. -#}
{% macro is_family_planning_asked(sex_code, marital_status_code, age_years) -%}
    case
        when {{ sex_code }} = 1 then false
        when {{ marital_status_code }} <> 2 then false
        when {{ age_years }} < 10 or {{ age_years }} > 49 then false
        when {{ sex_code }} = 2 and {{ marital_status_code }} = 2
            and {{ age_years }} between 10 and 49 then true
    end
{%- endmacro %}

{#- Whether the school-status question (Sta_sekolah, public or private) applies: still in school. -#}
{% macro is_school_status_asked(school_participation_code) -%}
    case when {{ school_participation_code }} is not null then {{ school_participation_code }} = 1 end
{%- endmacro %}
