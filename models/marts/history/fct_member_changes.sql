{#-
    One row per member event between the previous delivery of the history and the current one,
    pseudonymous keys only. A member is followed by its IDARTBDT (individual_key, stable while
    the member stays in the same household under the same IDBDT), and across households by a
    valid NIK unique within each delivery (person_key). Events (rules in models/docs/history.md):
      birth          a new member of a continuing household, not found before by NIK, aged
                     under 5 at the as-of date
      joined         the same, aged 5 or more (a newcomer from outside the registry, or a
                     member whose NIK could not link it to its previous household)
      moved          a new member (of a household that is not a split or a re-registration)
                     whose NIK was in another household in the previous delivery
      split_member   a member of a household split off (fct_household_links) in this delivery
      death          a member gone from a continuing household whose NIK, if valid and unique
                     in the previous delivery, is in no household of the current delivery: died,
                     or left the registry alone
      nik_corrected  the same member (IDARTBDT) with an invalid NIK before and a valid one now
    Members of households that entered, left or were re-registered have no event here (the
    household's own change is in fct_household_changes). Incremental, keyed on the delivery.
-#}

with

current_delivery as (

    select
        held.delivery,
        held.as_of_date,
        held.previous_delivery
    from {{ ref('int_history__current_delivery') }} as held

),

members_now as (

    select
        members.household_key,
        members.individual_key,
        members.person_key,
        members.is_nik_unique,
        members.has_valid_nik,
        members.age_years
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.delivery

),

members_before as (

    select
        members.household_key,
        members.individual_key,
        members.person_key,
        members.is_nik_unique,
        members.has_valid_nik
    from {{ ref('int_history__member_deliveries') }} as members
    inner join current_delivery
        on members.delivery = current_delivery.previous_delivery

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

continuing_households as (

    select households_now.household_key
    from households_now
    inner join households_before
        on households_now.household_key = households_before.household_key

),

links as (

    select
        household_links.successor_household_key,
        household_links.predecessor_household_key,
        household_links.link_kind
    from {{ ref('fct_household_links') }} as household_links
    inner join current_delivery
        on household_links.delivery = current_delivery.delivery

),

unique_niks_before as (

    select
        members_before.person_key,
        members_before.household_key,
        members_before.individual_key
    from members_before
    where members_before.is_nik_unique

),

niks_now as (

    select distinct members_now.person_key
    from members_now
    where members_now.has_valid_nik

),

new_members as (

    select
        members_now.household_key,
        members_now.individual_key,
        members_now.person_key,
        members_now.age_years,
        links.link_kind,
        links.predecessor_household_key,
        continuing_households.household_key is not null as is_in_continuing_household,
        unique_niks_before.household_key as matched_household_key,
        unique_niks_before.individual_key as matched_individual_key
    from members_now
    left join members_before
        on members_now.individual_key = members_before.individual_key
    left join links
        on members_now.household_key = links.successor_household_key
    left join continuing_households
        on members_now.household_key = continuing_households.household_key
    left join unique_niks_before
        on members_now.is_nik_unique
            and members_now.person_key = unique_niks_before.person_key
    where members_before.individual_key is null

),

arrivals as (

    select
        new_members.individual_key,
        new_members.matched_individual_key as individual_key_before,
        new_members.person_key,
        case
            when new_members.link_kind = 'split' then 'split_member'
            when new_members.link_kind = 'reregistration' then null
            when new_members.matched_household_key is not null
                and new_members.matched_household_key <> new_members.household_key
                then 'moved'
            when new_members.matched_household_key is not null then null
            when new_members.is_in_continuing_household and new_members.age_years < 5
                then 'birth'
            when new_members.is_in_continuing_household then 'joined'
        end as event_kind,
        case
            when new_members.link_kind = 'split' then new_members.predecessor_household_key
            else new_members.matched_household_key
        end as household_key_before,
        new_members.household_key as household_key_after
    from new_members

),

deaths as (

    select
        members_before.individual_key,
        members_before.individual_key as individual_key_before,
        members_before.person_key,
        'death' as event_kind,
        members_before.household_key as household_key_before,
        cast(null as {{ type_key() }}) as household_key_after
    from members_before
    inner join continuing_households
        on members_before.household_key = continuing_households.household_key
    left join members_now
        on members_before.individual_key = members_now.individual_key
    left join niks_now
        on members_before.person_key = niks_now.person_key
    where members_now.individual_key is null
        and (not members_before.is_nik_unique or niks_now.person_key is null)

),

corrections as (

    select
        members_now.individual_key,
        members_before.individual_key as individual_key_before,
        members_now.person_key,
        'nik_corrected' as event_kind,
        members_before.household_key as household_key_before,
        members_now.household_key as household_key_after
    from members_now
    inner join members_before
        on members_now.individual_key = members_before.individual_key
    where members_now.has_valid_nik
        and not members_before.has_valid_nik

),

events as (

    select
        arrivals.individual_key,
        arrivals.individual_key_before,
        arrivals.person_key,
        arrivals.event_kind,
        arrivals.household_key_before,
        arrivals.household_key_after
    from arrivals
    where arrivals.event_kind is not null
    union all
    select
        deaths.individual_key,
        deaths.individual_key_before,
        deaths.person_key,
        deaths.event_kind,
        deaths.household_key_before,
        deaths.household_key_after
    from deaths
    union all
    select
        corrections.individual_key,
        corrections.individual_key_before,
        corrections.person_key,
        corrections.event_kind,
        corrections.household_key_before,
        corrections.household_key_after
    from corrections

),

final as (

    select
        current_delivery.delivery,
        current_delivery.as_of_date,
        current_delivery.previous_delivery,
        events.individual_key,
        events.individual_key_before,
        events.person_key,
        events.event_kind,
        events.household_key_before,
        events.household_key_after
    from events
    cross join current_delivery

)

select
    final.delivery,
    final.as_of_date,
    final.previous_delivery,
    final.individual_key,
    final.individual_key_before,
    final.person_key,
    final.event_kind,
    final.household_key_before,
    final.household_key_after
from final
