{#-
    Which BDT household rows reach the marts. A row is quarantined (quarantine_rule not null),
    by the first rule that applies:
      missing_household_id     no IDBDT
      duplicate_household_id   an IDBDT already seen on an earlier row (file, line order)
      unknown_village          KDPROP..KDDESA name no desa of the region list
    Members of a quarantined household are quarantined with it (int_individuals__resolved).
-#}
with

households as (

    select * from {{ ref('int_households__validated') }}

),

ranked as (

    select
        households.*,
        row_number() over (
            partition by households.household_id
            order by households.source_file, households.source_line
        ) as household_id_occurrence
    from households

),

final as (

    select
        ranked.*,
        {{ household_key('ranked.household_id') }} as household_key,
        case
            when ranked.household_id is null then 'missing_household_id'
            when ranked.household_id_occurrence > 1 then 'duplicate_household_id'
            when not ranked.is_known_village then 'unknown_village'
        end as quarantine_rule
    from ranked

)

select * from final
