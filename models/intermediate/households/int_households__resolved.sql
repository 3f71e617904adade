{#-
    Which BDT household rows reach the marts. A row is quarantined (quarantine_rule not null),
    by the first rule that applies:
      missing_household_id     no IDBDT
      duplicate_household_id   an IDBDT already seen on an earlier row (file, line order)
      unknown_village          KDPROP..KDDESA name no desa of the region list
    Members of a quarantined household are quarantined with it (int_individuals__resolved).

    Scale: the wide rows are neither sorted nor joined to a large table: only the rows of
    repeated IDBDTs are ranked (macro repeated_key_ranks), and the wide rows stream through one
    hash join against that small result.
-#}
with

household_id_repeats as (

    {{ repeated_key_ranks(ref('int_households__validated'), 'household_id', 'household_id_occurrence') }}

),

final as (

    select
        validated.*,
        coalesce(household_id_repeats.household_id_occurrence, 1) as household_id_occurrence,
        {{ household_key('validated.household_id') }} as household_key,
        case
            when validated.household_id is null then 'missing_household_id'
            when household_id_repeats.household_id_occurrence > 1 then 'duplicate_household_id'
            when not validated.is_known_village then 'unknown_village'
        end as quarantine_rule
    from {{ ref('int_households__validated') }} as validated
    left join household_id_repeats
        on validated.source_file = household_id_repeats.source_file
            and validated.source_line = household_id_repeats.source_line

)

select * from final
