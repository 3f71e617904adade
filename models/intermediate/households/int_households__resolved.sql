{#-
    Which BDT household rows reach the marts. A row is quarantined (quarantine_rule not null),
    by the first rule that applies:
      missing_household_id     no IDBDT
      duplicate_household_id   an IDBDT already seen on an earlier row (file, line order)
      unknown_village          KDPROP..KDDESA name no desa of the region list
    Members of a quarantined household are quarantined with it (int_individuals__resolved).

    Scale: the wide rows are neither sorted nor joined to a large table. Repeated IDBDTs are
    found by an aggregate over the IDBDT alone; only their few rows are ranked, and the wide
    rows stream through one hash join against that small result.
-#}
with

repeated_household_ids as (

    select household_id
    from {{ ref('int_households__validated') }}
    where household_id is not null
    group by household_id
    having count(*) > 1

),

household_id_repeats as (

    -- the rows of a repeated IDBDT, ranked in file order (1 = kept)
    select
        validated.source_file,
        validated.source_line,
        row_number() over (
            partition by validated.household_id
            order by validated.source_file, validated.source_line
        ) as household_id_occurrence
    from {{ ref('int_households__validated') }} as validated
    inner join repeated_household_ids
        on validated.household_id = repeated_household_ids.household_id

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
