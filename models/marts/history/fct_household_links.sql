{#-
    One row per link between a household of the previous delivery (predecessor) and a household
    new in the current delivery (successor), found by NIK only (person_key; never by name).
    Evidence: the valid NIKs unique within their delivery (a duplicated NIK links nothing); the
    counts a majority is taken of leave out the NIKs duplicated on the other side (unknown).
      reregistration  the successor is new (its IDBDT absent from the previous delivery), the
                      predecessor left (its IDBDT absent from the current delivery), and the
                      successor holds the predecessor's head or a strict majority of the
                      predecessor's NIKs; one to one (best: head shared, then most NIKs shared,
                      then the smaller key).
      split           the successor is new and not a re-registration, the predecessor continues
                      (present in both deliveries), and a strict majority of the successor's
                      NIKs found in the previous delivery were members of the predecessor then
                      (the parent: the continuing household holding most of them).
    Incremental, keyed on the delivery: reads the current and the previous delivery only.
-#}

with

current_delivery as (

    select
        held.delivery,
        held.as_of_date,
        held.previous_delivery
    from {{ ref('int_history__current_delivery') }} as held

),

households_now as (

    select held.household_key
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.delivery

),

households_before as (

    select held.household_key
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.previous_delivery

),

new_households as (

    select households_now.household_key
    from households_now
    left join households_before
        on households_now.household_key = households_before.household_key
    where households_before.household_key is null

),

left_households as (

    select households_before.household_key
    from households_before
    left join households_now
        on households_before.household_key = households_now.household_key
    where households_now.household_key is null

),

continuing_households as (

    select households_now.household_key
    from households_now
    inner join households_before
        on households_now.household_key = households_before.household_key

),

niks_now as (

    select
        members.household_key,
        members.person_key,
        members.is_head
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.delivery
    where members.is_nik_unique

),

niks_before as (

    select
        members.household_key,
        members.person_key,
        members.is_head
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.previous_delivery
    where members.is_nik_unique

),

duplicated_niks_now as (

    select distinct members.person_key
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.delivery
    where members.has_valid_nik
        and not members.is_nik_unique

),

duplicated_niks_before as (

    select distinct members.person_key
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.previous_delivery
    where members.has_valid_nik
        and not members.is_nik_unique

),

nik_counts_now as (

    -- the successor's NIKs that can be evidence: unique now, and not duplicated before
    select
        niks_now.household_key,
        count(*) as nik_count
    from niks_now
    left join duplicated_niks_before
        on niks_now.person_key = duplicated_niks_before.person_key
    where duplicated_niks_before.person_key is null
    group by niks_now.household_key

),

nik_counts_before as (

    -- the predecessor's NIKs that can be evidence: unique before, and not duplicated now
    select
        niks_before.household_key,
        count(*) as nik_count
    from niks_before
    left join duplicated_niks_now
        on niks_before.person_key = duplicated_niks_now.person_key
    where duplicated_niks_now.person_key is null
    group by niks_before.household_key

),

shared_niks as (

    -- pairs (household before, new household now) sharing NIKs, with the evidence
    select
        niks_before.household_key as predecessor_household_key,
        niks_now.household_key as successor_household_key,
        count(*) as shared_nik_count,
        max(case when niks_before.is_head then 1 else 0 end) = 1 as is_predecessor_head_shared,
        max(case when niks_now.is_head then 1 else 0 end) = 1 as is_successor_head_shared,
        sum(count(*)) over (partition by niks_now.household_key) as successor_found_nik_count
    from niks_now
    inner join new_households
        on niks_now.household_key = new_households.household_key
    inner join niks_before
        on niks_now.person_key = niks_before.person_key
    group by niks_before.household_key, niks_now.household_key

),

reregistration_candidates as (

    select
        shared_niks.predecessor_household_key,
        shared_niks.successor_household_key,
        shared_niks.shared_nik_count,
        shared_niks.is_predecessor_head_shared as is_head_shared,
        nik_counts_before.nik_count as predecessor_nik_count,
        nik_counts_now.nik_count as successor_nik_count
    from shared_niks
    inner join left_households
        on shared_niks.predecessor_household_key = left_households.household_key
    inner join nik_counts_before
        on shared_niks.predecessor_household_key = nik_counts_before.household_key
    inner join nik_counts_now
        on shared_niks.successor_household_key = nik_counts_now.household_key
    where shared_niks.is_predecessor_head_shared
        or 2 * shared_niks.shared_nik_count > nik_counts_before.nik_count

),

reregistration_ranks as (

    select
        reregistration_candidates.predecessor_household_key,
        reregistration_candidates.successor_household_key,
        reregistration_candidates.shared_nik_count,
        reregistration_candidates.is_head_shared,
        reregistration_candidates.predecessor_nik_count,
        reregistration_candidates.successor_nik_count,
        row_number() over (
            partition by reregistration_candidates.successor_household_key
            order by
                reregistration_candidates.is_head_shared desc,
                reregistration_candidates.shared_nik_count desc,
                reregistration_candidates.predecessor_household_key asc
        ) as successor_rank,
        row_number() over (
            partition by reregistration_candidates.predecessor_household_key
            order by
                reregistration_candidates.is_head_shared desc,
                reregistration_candidates.shared_nik_count desc,
                reregistration_candidates.successor_household_key asc
        ) as predecessor_rank
    from reregistration_candidates

),

reregistrations as (

    select
        reregistration_ranks.predecessor_household_key,
        reregistration_ranks.successor_household_key,
        'reregistration' as link_kind,
        reregistration_ranks.shared_nik_count,
        reregistration_ranks.predecessor_nik_count,
        reregistration_ranks.successor_nik_count,
        reregistration_ranks.is_head_shared
    from reregistration_ranks
    where reregistration_ranks.successor_rank = 1
        and reregistration_ranks.predecessor_rank = 1

),

split_candidates as (

    select
        shared_niks.predecessor_household_key,
        shared_niks.successor_household_key,
        shared_niks.shared_nik_count,
        shared_niks.is_successor_head_shared as is_head_shared,
        nik_counts_before.nik_count as predecessor_nik_count,
        nik_counts_now.nik_count as successor_nik_count,
        row_number() over (
            partition by shared_niks.successor_household_key
            order by shared_niks.shared_nik_count desc, shared_niks.predecessor_household_key asc
        ) as successor_rank
    from shared_niks
    inner join continuing_households
        on shared_niks.predecessor_household_key = continuing_households.household_key
    inner join nik_counts_before
        on shared_niks.predecessor_household_key = nik_counts_before.household_key
    inner join nik_counts_now
        on shared_niks.successor_household_key = nik_counts_now.household_key
    left join reregistrations
        on shared_niks.successor_household_key = reregistrations.successor_household_key
    where reregistrations.successor_household_key is null
        and 2 * shared_niks.shared_nik_count > shared_niks.successor_found_nik_count

),

splits as (

    select
        split_candidates.predecessor_household_key,
        split_candidates.successor_household_key,
        'split' as link_kind,
        split_candidates.shared_nik_count,
        split_candidates.predecessor_nik_count,
        split_candidates.successor_nik_count,
        split_candidates.is_head_shared
    from split_candidates
    where split_candidates.successor_rank = 1

),

links as (

    select
        reregistrations.predecessor_household_key,
        reregistrations.successor_household_key,
        reregistrations.link_kind,
        reregistrations.shared_nik_count,
        reregistrations.predecessor_nik_count,
        reregistrations.successor_nik_count,
        reregistrations.is_head_shared
    from reregistrations
    union all
    select
        splits.predecessor_household_key,
        splits.successor_household_key,
        splits.link_kind,
        splits.shared_nik_count,
        splits.predecessor_nik_count,
        splits.successor_nik_count,
        splits.is_head_shared
    from splits

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        current_delivery.previous_delivery,
        links.predecessor_household_key,
        links.successor_household_key,
        links.link_kind,
        cast(links.shared_nik_count as integer) as shared_nik_count,
        cast(links.predecessor_nik_count as integer) as predecessor_nik_count,
        cast(links.successor_nik_count as integer) as successor_nik_count,
        links.is_head_shared
    from links
    cross join current_delivery

)

select
    final.delivery,
    final.as_of_date,
    final.previous_delivery,
    final.predecessor_household_key,
    final.successor_household_key,
    final.link_kind,
    final.shared_nik_count,
    final.predecessor_nik_count,
    final.successor_nik_count,
    final.is_head_shared
from final
