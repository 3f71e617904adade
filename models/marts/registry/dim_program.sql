{#- One row per social protection program, with the unit it is given to. -#}
with

programs as (

    select * from {{ ref('programs') }}

)

select
    programs.program_code,
    programs.name_id,
    programs.name_en,
    programs.beneficiary_unit,
    programs.implementing_agency,
    programs.min_age,
    programs.max_age,
    programs.description
from programs
