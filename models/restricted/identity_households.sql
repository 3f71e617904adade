{#-
    The identity store of households: IDBDT, head's name, address and source row behind each
    household_key; for PKH families not in the BDT, the IDPKH, recipient NIK and KK. Restricted.
-#}
with

households as (

    select * from {{ ref('int_households__accepted') }}

),

pkh_families as (

    select * from {{ ref('int_pkh__non_bdt_families') }}

)

select
    households.household_key,
    'BDT' as household_source,
    households.household_id,
    cast(null as {{ dbt.type_string() }}) as pkh_family_id,
    households.head_name,
    households.address,
    cast(null as {{ dbt.type_string() }}) as recipient_nik,
    cast(null as {{ dbt.type_string() }}) as family_card_number,
    households.source_file,
    households.source_line
from households

union all

select
    pkh_families.pkh_family_key as household_key,
    'PKH non-BDT' as household_source,
    cast(null as {{ dbt.type_string() }}) as household_id,
    pkh_families.pkh_family_id,
    cast(null as {{ dbt.type_string() }}) as head_name,
    cast(null as {{ dbt.type_string() }}) as address,
    pkh_families.recipient_nik,
    pkh_families.family_card_number,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_line
from pkh_families
