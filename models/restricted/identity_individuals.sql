{#-
    The identity store of individuals: the personal data behind each pseudonymous key (name,
    NIK, KK, birth place and date, source row). Restricted: only authorised staff may read it,
    to re-identify a person for a program (by-name extracts) or to correct the data.
-#}
with

individuals as (

    select * from {{ ref('int_individuals__accepted') }}

)

select
    individuals.individual_key,
    individuals.person_key,
    individuals.individual_id,
    individuals.household_id,
    individuals.nik,
    individuals.full_name,
    individuals.family_card_number,
    individuals.birth_place,
    individuals.birth_date,
    individuals.source_file,
    individuals.source_line
from individuals
