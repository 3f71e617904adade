{#-
    The one definition of desil and of the priority order within a desil.

    Desil: the band of the seed desil_bands that holds the household's national welfare
    percentile. Desil up to var('target_desil_max') (4 for the BDT's 40% lowest, 10 for DTSEN)
    are the target; a household above it or without a percentile is non-desil (desil null).

    Priority within a desil (1 = helped first), the seed presentation's "more entitled"
    household: other members (not the head or spouse) do not work, more dependents (members
    under 15 or 65+), the spouse does not work; then the lower percentile; then a stable
    pseudonymous order. priority_group summarises the first and third criteria:
      1 = no other member and no spouse works, 2 = only the spouse or only other members work,
      3 = both the spouse and other members work.
-#}
with

households as (

    select
        household_id,
        household_key,
        welfare_percentile
    from {{ ref('int_households__accepted') }}

),

composition as (

    select * from {{ ref('int_households__composition') }}

),

bands as (

    select * from {{ ref('desil_bands') }}

),

banded as (

    select
        households.household_id,
        households.household_key,
        households.welfare_percentile,
        case when bands.desil <= {{ var('target_desil_max') }} then bands.desil end as desil,
        coalesce(composition.other_working_member_count, 0) as other_working_member_count,
        coalesce(composition.dependent_count, 0) as dependent_count,
        coalesce(composition.working_spouse_count, 0) as working_spouse_count
    from households
    left join bands
        on households.welfare_percentile between bands.percentile_from and bands.percentile_to
    left join composition
        on households.household_id = composition.household_id

),

final as (

    select
        household_id,
        welfare_percentile,
        desil,
        desil is not null as is_target_desil,
        1
        + (case when other_working_member_count > 0 then 1 else 0 end)
        + (case when working_spouse_count > 0 then 1 else 0 end) as priority_group,
        case
            when desil is not null then row_number() over (
                    partition by desil
                    order by
                        case when other_working_member_count > 0 then 1 else 0 end asc,
                        dependent_count desc,
                        case when working_spouse_count > 0 then 1 else 0 end asc,
                        welfare_percentile asc,
                        household_key asc
                )
        end as priority_rank
    from banded

)

select * from final
