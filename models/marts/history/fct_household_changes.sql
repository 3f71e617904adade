{#-
    One row per household and consecutive pair of deliveries of the history (previous ->
    current) in which something changed: it entered, left, was re-registered (either side),
    split off, moved desil or region, gained or lost a program, or members were born, died (or
    left), moved in or out, split off, or had their NIK corrected (fct_member_changes).
    Households present in both deliveries with nothing changed have no row. Incremental, keyed
    on the delivery (after): reads the current and the previous delivery only.
-#}

{%- set programs = ['pkh', 'kks', 'kis_pbi', 'kip', 'rastra_bpnt'] %}

with

current_delivery as (

    select
        held.delivery,
        held.as_of_date,
        held.previous_delivery
    from {{ ref('int_history__current_delivery') }} as held
    where held.previous_delivery is not null

),

households_now as (

    select
        held.household_key,
        held.village_code,
        held.desil,
        held.member_count,
        {%- for program in programs %}
            held.receives_{{ program }},
        {%- endfor %}
        held.attributes_hash
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.delivery

),

households_before as (

    select
        held.household_key,
        held.village_code,
        held.desil,
        held.member_count,
        {%- for program in programs %}
            held.receives_{{ program }},
        {%- endfor %}
        held.attributes_hash
    from {{ ref('int_history__household_deliveries') }} as held
    inner join current_delivery
        on held.delivery = current_delivery.previous_delivery

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

member_events as (

    select
        member_changes.event_kind,
        member_changes.household_key_before,
        member_changes.household_key_after
    from {{ ref('fct_member_changes') }} as member_changes
    inner join current_delivery
        on member_changes.delivery = current_delivery.delivery

),

events_in as (

    select
        member_events.household_key_after as household_key,
        count(case when member_events.event_kind = 'birth' then 1 end) as members_born,
        count(case when member_events.event_kind = 'joined' then 1 end) as members_joined,
        count(case when member_events.event_kind = 'moved' then 1 end) as members_moved_in,
        count(case when member_events.event_kind = 'split_member' then 1 end) as members_split_in,
        count(case when member_events.event_kind = 'nik_corrected' then 1 end) as niks_corrected
    from member_events
    where member_events.household_key_after is not null
    group by member_events.household_key_after

),

events_out as (

    select
        member_events.household_key_before as household_key,
        count(case when member_events.event_kind = 'death' then 1 end) as members_died,
        count(case when member_events.event_kind = 'moved' then 1 end) as members_moved_out,
        count(case when member_events.event_kind = 'split_member' then 1 end) as members_split_out
    from member_events
    where member_events.household_key_before is not null
    group by member_events.household_key_before

),

reregistrations as (

    -- joined by the successor (a household now, compared with its predecessor's row) and by
    -- the predecessor (a household of the previous delivery, re-registered away)
    select
        links.predecessor_household_key,
        links.successor_household_key
    from links
    where links.link_kind = 'reregistration'

),

pairs_now as (

    -- households of this delivery, with their row of the previous delivery: their own, or the
    -- predecessor's for a re-registration (the same household under a new IDBDT)
    select
        households_now.household_key,
        same_key.household_key is null as is_new_key,
        false as is_gone_key,
        before_side.household_key is not null as is_held_before,
        before_side.desil as desil_before,
        households_now.desil as desil_after,
        before_side.village_code as village_before,
        households_now.village_code as village_after,
        before_side.member_count as member_count_before,
        households_now.member_count as member_count_after,
        {%- for program in programs %}
            before_side.receives_{{ program }} as receives_{{ program }}_before,
            households_now.receives_{{ program }} as receives_{{ program }}_after,
        {%- endfor %}
        same_key.attributes_hash as attributes_hash_before,
        households_now.attributes_hash as attributes_hash_after
    from households_now
    left join households_before as same_key
        on households_now.household_key = same_key.household_key
    left join reregistrations
        on households_now.household_key = reregistrations.successor_household_key
    left join households_before as before_side
        on coalesce(reregistrations.predecessor_household_key, households_now.household_key)
            = before_side.household_key

),

pairs_gone as (

    -- households of the previous delivery absent from this one
    select
        households_before.household_key,
        false as is_new_key,
        true as is_gone_key,
        false as is_held_before,
        households_before.desil as desil_before,
        cast(null as integer) as desil_after,
        households_before.village_code as village_before,
        cast(null as {{ dbt.type_string() }}) as village_after,
        households_before.member_count as member_count_before,
        cast(null as bigint) as member_count_after,
        {%- for program in programs %}
            households_before.receives_{{ program }} as receives_{{ program }}_before,
            cast(null as boolean) as receives_{{ program }}_after,
        {%- endfor %}
        households_before.attributes_hash as attributes_hash_before,
        cast(null as {{ dbt.type_string() }}) as attributes_hash_after
    from households_before
    left join households_now
        on households_before.household_key = households_now.household_key
    where households_now.household_key is null

),

pairs as (

    select
        pairs_now.household_key,
        pairs_now.is_new_key,
        pairs_now.is_gone_key,
        pairs_now.is_held_before,
        pairs_now.desil_before,
        pairs_now.desil_after,
        pairs_now.village_before,
        pairs_now.village_after,
        pairs_now.member_count_before,
        pairs_now.member_count_after,
        {%- for program in programs %}
            pairs_now.receives_{{ program }}_before,
            pairs_now.receives_{{ program }}_after,
        {%- endfor %}
        pairs_now.attributes_hash_before,
        pairs_now.attributes_hash_after
    from pairs_now
    union all
    select
        pairs_gone.household_key,
        pairs_gone.is_new_key,
        pairs_gone.is_gone_key,
        pairs_gone.is_held_before,
        pairs_gone.desil_before,
        pairs_gone.desil_after,
        pairs_gone.village_before,
        pairs_gone.village_after,
        pairs_gone.member_count_before,
        pairs_gone.member_count_after,
        {%- for program in programs %}
            pairs_gone.receives_{{ program }}_before,
            pairs_gone.receives_{{ program }}_after,
        {%- endfor %}
        pairs_gone.attributes_hash_before,
        pairs_gone.attributes_hash_after
    from pairs_gone

),

changes as (

    select
        pairs.household_key,
        pairs.is_new_key and links.successor_household_key is null as is_entered,
        pairs.is_gone_key and reregistered_away.predecessor_household_key is null as is_exited,
        pairs.desil_before,
        pairs.desil_after,
        pairs.is_held_before
        and coalesce(
            pairs.desil_before <> pairs.desil_after,
            (pairs.desil_before is null) <> (pairs.desil_after is null)
        ) as is_desil_moved,
        pairs.village_before,
        pairs.village_after,
        pairs.is_held_before
        and coalesce(
            pairs.village_before <> pairs.village_after,
            (pairs.village_before is null) <> (pairs.village_after is null)
        ) as is_region_moved,
        pairs.member_count_before,
        pairs.member_count_after,
        coalesce(links.link_kind = 'split', false) as is_split,
        case when links.link_kind = 'split' then links.predecessor_household_key end
            as split_parent_household_key,
        coalesce(links.link_kind = 'reregistration', false) as is_reregistered,
        case when links.link_kind = 'reregistration' then links.predecessor_household_key end
            as reregistered_from_household_key,
        reregistered_away.successor_household_key as reregistered_as_household_key,
        {%- for program in programs %}
            coalesce(
                not pairs.receives_{{ program }}_before and pairs.receives_{{ program }}_after,
                false
            ) as is_{{ program }}_gained,
            coalesce(
                pairs.receives_{{ program }}_before and not pairs.receives_{{ program }}_after,
                false
            ) as is_{{ program }}_lost,
        {%- endfor %}
        cast(coalesce(events_in.members_born, 0) as integer) as members_born,
        cast(coalesce(events_in.members_joined, 0) as integer) as members_joined,
        cast(coalesce(events_out.members_died, 0) as integer) as members_died,
        cast(coalesce(events_in.members_moved_in, 0) as integer) as members_moved_in,
        cast(coalesce(events_out.members_moved_out, 0) as integer) as members_moved_out,
        cast(coalesce(events_in.members_split_in, 0) as integer) as members_split_in,
        cast(coalesce(events_out.members_split_out, 0) as integer) as members_split_out,
        cast(coalesce(events_in.niks_corrected, 0) as integer) as niks_corrected,
        coalesce(
            pairs.attributes_hash_before <> pairs.attributes_hash_after,
            (pairs.attributes_hash_before is null) <> (pairs.attributes_hash_after is null)
        ) as is_attributes_changed
    from pairs
    left join links
        on pairs.household_key = links.successor_household_key
    left join reregistrations as reregistered_away
        on pairs.household_key = reregistered_away.predecessor_household_key
    left join events_in
        on pairs.household_key = events_in.household_key
    left join events_out
        on pairs.household_key = events_out.household_key

),

final as (

    select
        changes.household_key,
        current_delivery.previous_delivery as delivery_before,
        current_delivery.delivery,
        current_delivery.as_of_date,
        changes.is_entered,
        changes.is_exited,
        changes.desil_before,
        changes.desil_after,
        changes.is_desil_moved,
        changes.village_before,
        changes.village_after,
        changes.is_region_moved,
        changes.member_count_before,
        changes.member_count_after,
        changes.is_split,
        changes.split_parent_household_key,
        changes.is_reregistered,
        changes.reregistered_from_household_key,
        changes.reregistered_as_household_key,
        {%- for program in programs %}
            changes.is_{{ program }}_gained,
            changes.is_{{ program }}_lost,
        {%- endfor %}
        changes.members_born,
        changes.members_joined,
        changes.members_died,
        changes.members_moved_in,
        changes.members_moved_out,
        changes.members_split_in,
        changes.members_split_out,
        changes.niks_corrected
    from changes
    cross join current_delivery
    where changes.is_attributes_changed
        or changes.members_born + changes.members_joined + changes.members_died
        + changes.members_moved_in + changes.members_moved_out + changes.members_split_in
        + changes.members_split_out + changes.niks_corrected > 0

)

select
    final.household_key,
    final.delivery_before,
    final.delivery,
    final.as_of_date,
    final.is_entered,
    final.is_exited,
    final.desil_before,
    final.desil_after,
    final.is_desil_moved,
    final.village_before,
    final.village_after,
    final.is_region_moved,
    final.member_count_before,
    final.member_count_after,
    final.is_split,
    final.split_parent_household_key,
    final.is_reregistered,
    final.reregistered_from_household_key,
    final.reregistered_as_household_key,
    {%- for program in programs %}
        final.is_{{ program }}_gained,
        final.is_{{ program }}_lost,
    {%- endfor %}
    final.members_born,
    final.members_joined,
    final.members_died,
    final.members_moved_in,
    final.members_moved_out,
    final.members_split_in,
    final.members_split_out,
    final.niks_corrected
from final
