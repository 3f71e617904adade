"""The history of one chunk over the deliveries, derived backwards from its last delivery.

The last delivery is the chunk as a single-delivery run makes it (same households, members,
values; only Umur is the age on the delivery's date). Earlier deliveries undo the changes of
each step: a household that entered at step s is absent before it, a member born at step s too;
a household that left at step s (exit) or a member who died is present before it and comes from
a "shadow" population generated beside the chunk (own random streams, IDBDT serials above the
desa's, NIK and KK serials from 5001), so that the last delivery stays untouched. Every change
stays within the chunk (a move or a split within a desa when the chunk holds another household
of it). Which households and members change: selection.py; what each delivery then holds:
delivered.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from scripts.generate.changes import DESIL_CHANGE, EXIT_DECEASED, EXIT_GRADUATED
from scripts.generate.demography import ChangeParameters, rate_by_age
from scripts.generate.dirt import nik_variants
from scripts.generate.individuals import CHILD, GRANDCHILD, HEAD, IN_LAW, OTHER, SPOUSE, Individuals
from scripts.generate.pkh import PkhFamilies
from scripts.generate.population import Malformed, Population, joined, taken
from scripts.generate.sampling import rank_within
from scripts.generate.selection import (
    ChangeBudget,
    Selection,
    household_changes,
    member_changes,
    neighbours,
    picked,
)

MALFORMED_KINDS = ("nik_15_digits", "nik_letters")
DESIL_WIDTH = 10  # percentiles per desil band
MAX_RANKED_PERCENTILE = 50  # percentiles above 40 run to 50 in the files


class IdentitySource:
    """New IDBDT serials (above every serial of the desa in the single-delivery files) and new
    positions (for NoPesertaPBDT), unique over the run."""

    def __init__(self, desa_households: np.ndarray, generated: int) -> None:
        self.next_serial = desa_households.astype(np.int64) + 1
        self.next_position = generated

    def serials(self, desa: np.ndarray) -> np.ndarray:
        """The next serials of each household's desa, in order."""
        order = np.argsort(desa, kind="stable")
        out = np.empty(desa.shape[0], dtype=np.int64)
        out[order] = self.next_serial[desa[order]] + rank_within(desa[order])
        self.next_serial += np.bincount(desa, minlength=self.next_serial.shape[0])
        return out

    def positions(self, n: int) -> np.ndarray:
        out = np.arange(self.next_position, self.next_position + n, dtype=np.int64)
        self.next_position += n
        return out


@dataclass
class History:
    """The chunk's final population followed by its shadow population ("universe"), and when
    each household and member is present where. Delivery d holds household u when
    spans.household_from[u] <= d < spans.household_until[u], with its old IDBDT when
    d < spans.reregistered[u];
    member q when person_from[q] <= d < person_until[q], in early_* when d < switch[q], else in
    home_*."""

    universe: Population
    final_households: int
    final_people: int
    spans: Spans
    percentile: np.ndarray  # (deliveries, households)
    person_from: np.ndarray
    person_until: np.ndarray
    switch: np.ndarray
    home: dict[str, np.ndarray]  # hh, member_no, hub, nuk, hubkel
    early: dict[str, np.ndarray]
    recipients: np.ndarray  # universe person index of each BDT PKH recipient
    malformed: Malformed
    # What changed, as drawn: for the change list (delivered.change_table).
    selection: Selection
    exits: list[tuple[str, int, np.ndarray]]  # kind, step, households
    desil_changes: list[tuple[int, np.ndarray]]  # step, households
    dying: np.ndarray  # members


def first_per_group(rng: np.random.Generator, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """One row per group, drawn with probability ~ weight within the group (rows grouped)."""
    key = rng.exponential(size=group.shape[0]) / np.clip(weight, 1e-9, None)
    order = np.lexsort((key, group))
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    return np.sort(order[first])


@dataclass
class Spans:
    """When each universe household is present, and its IDBDT before a re-registration (see
    History)."""

    household_from: np.ndarray
    household_until: np.ndarray
    reregistered: np.ndarray
    old_idbdt: np.ndarray
    old_serial: np.ndarray
    old_position: np.ndarray


@dataclass
class Places:
    """Where each universe member is (see History), and the members who join a household other
    than their own in `home` or `early` (numbered after its members by `numbered`)."""

    person_from: np.ndarray
    person_until: np.ndarray
    switch: np.ndarray
    home: dict[str, np.ndarray]
    early: dict[str, np.ndarray]
    joining: list[tuple[np.ndarray, np.ndarray, bool]] = field(default_factory=list)

    def join(self, households: np.ndarray, members: np.ndarray, early: bool) -> None:
        """Members who join households (before their switch if `early`) as other relatives."""
        side = self.early if early else self.home
        side["hh"][members] = households
        side["hub"][members] = OTHER
        side["nuk"][members] = 1
        side["hubkel"][members] = OTHER
        self.joining.append((households, members, early))


def universe_of(
    rng: np.random.Generator,
    final: Population,
    selection: Selection,
    parameters: ChangeParameters,
    shadow_of: Callable[[np.ndarray], Population],
) -> tuple[Population, int]:
    """The final population followed by its shadow: a pool of households to draw the exits
    from (anywhere in the chunk), then one household per death (at the host's place); and the
    size of the pool."""
    households = final.households
    pool = parameters.exit_pool_factor * sum(n for _, _, n in selection.exits)
    positions = np.concatenate(
        [
            households.positions[rng.integers(0, len(households), size=pool)],
            households.positions[steps_and_indexes(selection.death_hosts)[1]],
        ]
    )
    if positions.shape[0]:
        shadow = shadow_of(positions)
    else:
        shadow = taken(final, np.zeros(0, dtype=np.int64))
    shadow.people = replace(shadow.people, hh=shadow.people.hh + len(households))
    return joined(final, shadow), pool


def steps_and_indexes(by_step: list[tuple[int, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(step, index) of every index of a per-step list, in order."""
    steps = [np.full(indexes.shape[0], s, dtype=np.int64) for s, indexes in by_step]
    indexes = [indexes for _, indexes in by_step]
    empty = [np.zeros(0, dtype=np.int64)]
    return np.concatenate(steps + empty), np.concatenate(indexes + empty)


def household_spans(
    universe: Population,
    final_households: int,
    selection: Selection,
    deliveries: int,
    ids: IdentitySource,
) -> Spans:
    """Final households are present from their entry (or split) on, the shadow ones never
    until an exit is drawn; re-registered households get their old IDBDT."""
    households = universe.households
    n_all = len(households)
    until = np.full(n_all, deliveries, dtype=np.int64)
    until[final_households:] = 0
    spans = Spans(
        np.zeros(n_all, dtype=np.int64),
        until,
        *(np.zeros(n_all, dtype=np.int64) for _ in range(4)),
    )
    for _, s, chosen in selection.entries:
        spans.household_from[chosen] = s
    for s, child, _ in selection.splits:
        spans.household_from[child] = s
    for s, chosen in selection.reregistrations:
        spans.reregistered[chosen] = s
        serial = ids.serials(households.desa[chosen])
        spans.old_serial[chosen] = serial
        spans.old_idbdt[chosen] = households.idbdt[chosen] // 1_000_000 * 1_000_000 + serial
        spans.old_position[chosen] = ids.positions(chosen.shape[0])
    return spans


def member_places(
    rng: np.random.Generator,
    universe: Population,
    spans: Spans,
    selection: Selection,
    host: np.ndarray,
    generation_gap: int,
) -> Places:
    """Members with their household; split members in the parent before the split, in a family
    of their own (the parent head's children, children-in-law and grandchildren when a
    generation `generation_gap` apart, else other relatives), movers in the household they
    left, newborns from their birth on."""
    everyone = universe.people
    home = {
        "hh": everyone.hh.copy(),
        "member_no": everyone.member_no.copy(),
        "hub": everyone.hub.copy(),
        "nuk": everyone.nuk.copy(),
        "hubkel": everyone.columns["hubkel"].copy(),
    }
    places = Places(
        person_from=spans.household_from[everyone.hh].copy(),
        person_until=spans.household_until[everyone.hh].copy(),
        switch=np.zeros(len(everyone), dtype=np.int64),
        home=home,
        early={k: v.copy() for k, v in home.items()},
    )
    max_nuk = np.ones(len(universe.households), dtype=np.int64)
    np.maximum.at(max_nuk, everyone.hh, everyone.nuk)
    heads = np.flatnonzero(everyone.member_no == 1)
    head_age = np.zeros(len(universe.households), dtype=np.int64)
    head_age[everyone.hh[heads]] = everyone.age[heads]
    descendants = {HEAD: CHILD, SPOUSE: IN_LAW, CHILD: GRANDCHILD}
    for s, child, parent in selection.splits:
        parent_of = np.full(len(universe.households), -1, dtype=np.int64)
        parent_of[child] = parent
        members = np.flatnonzero(np.isin(everyone.hh, child))
        before = parent_of[everyone.hh[members]]
        places.switch[members] = s
        places.person_from[members] = 0
        places.early["hh"][members] = before
        places.early["nuk"][members] = max_nuk[before] + 1
        descendant = head_age[before] - head_age[everyone.hh[members]] >= generation_gap
        places.early["hub"][members] = [
            descendants.get(h, OTHER) if d else OTHER
            for h, d in zip(everyone.hub[members].tolist(), descendant.tolist(), strict=True)
        ]
        places.joining.append((before, members, True))
    for s, born in selection.births:
        places.person_from[born] = s
    households = universe.households
    for s, moved in selection.moves:
        places.switch[moved] = s
        left = neighbours(rng, np.flatnonzero(host), households.desa, everyone.hh[moved])
        places.join(left, moved, early=True)
    return places


def exits(
    rng: np.random.Generator,
    universe: Population,
    pool: range,
    spans: Spans,
    places: Places,
    selection: Selection,
    parameters: ChangeParameters,
) -> list[tuple[str, int, np.ndarray]]:
    """Households of the pool that leave at each step: deceased (a lone old member; only the
    head is kept), graduated (the less poor), moved away; (kind, step, households)."""
    everyone, households = universe.people, universe.households
    heads = np.flatnonzero(everyone.member_no == 1)
    head_age = np.zeros(len(households), dtype=np.int64)
    head_age[everyone.hh[heads]] = everyone.age[heads]
    unused = np.zeros(len(households), dtype=bool)
    unused[pool.start : pool.stop] = True
    rows = []
    for kind, s, n in selection.exits:
        weight, eligible = None, unused
        if kind == EXIT_DECEASED:
            weight = rate_by_age(
                parameters.mortality_by_age, parameters.mortality_older, head_age, households.z
            )
        elif kind == EXIT_GRADUATED:
            weight = parameters.graduation_weight.at(households.z)
            eligible = unused & (households.percentile >= parameters.graduation_min_percentile)
        chosen = picked(rng, eligible, n, weight)
        unused[chosen] = False
        spans.household_until[chosen] = s
        members = np.flatnonzero(np.isin(everyone.hh, chosen))
        if kind == EXIT_DECEASED:
            members = members[everyone.member_no[members] == 1]
        places.person_until[members] = s
        rows.append((kind, s, chosen))
    return rows


def deaths(
    rng: np.random.Generator,
    universe: Population,
    first_death_household: int,
    places: Places,
    selection: Selection,
    parameters: ChangeParameters,
) -> np.ndarray:
    """Members who die: one per death household of the shadow (drawn by relative mortality by
    age), placed in its host household until the step of the death; returns them."""
    everyone = universe.people
    steps, hosts = steps_and_indexes(selection.death_hosts)
    death_households = first_death_household + np.arange(hosts.shape[0])
    candidates = np.flatnonzero(np.isin(everyone.hh, death_households))
    mortality = rate_by_age(
        parameters.mortality_by_age,
        parameters.mortality_older,
        everyone.age[candidates],
        universe.households.z[everyone.hh[candidates]],
    )
    dying = candidates[first_per_group(rng, everyone.hh[candidates], mortality)]
    which = everyone.hh[dying] - first_death_household
    places.join(hosts[which], dying, early=False)
    places.person_from[dying] = 0
    places.person_until[dying] = steps[which]
    return dying


def numbered(places: Places, people: Individuals) -> None:
    """Members who join a household get the member numbers after its own members'."""
    if not places.joining:
        return
    into = np.concatenate([h for h, _, _ in places.joining])
    who = np.concatenate([m for _, m, _ in places.joining])
    early = np.concatenate([np.full(m.shape[0], e) for _, m, e in places.joining])
    max_member = np.zeros(int(people.hh.max(initial=-1)) + 1, dtype=np.int64)
    np.maximum.at(max_member, people.hh, people.member_no)
    order = np.lexsort((who, into))
    number = np.empty(into.shape[0], dtype=np.int64)
    number[order] = max_member[into[order]] + 1 + rank_within(into[order])
    places.early["member_no"][who[early]] = number[early]
    places.home["member_no"][who[~early]] = number[~early]


def desil_history(
    rng: np.random.Generator,
    universe: Population,
    final_households: int,
    spans: Spans,
    deliveries: int,
    parameters: ChangeParameters,
    budget: ChangeBudget,
) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    """Percentiles by delivery (deliveries x households), derived backwards: at each step some
    ranked final households present on both sides moved one desil band (or two); and which."""
    households = universe.households
    percentile = np.tile(households.percentile, (deliveries, 1))
    kept = np.zeros(len(households), dtype=bool)
    kept[:final_households] = ~households.is_orphan[:final_households]
    rows = []
    for s in range(deliveries - 1, 0, -1):
        percentile[s - 1] = percentile[s]
        eligible = kept & (spans.household_from <= s - 1) & (percentile[s] > 0)
        chosen = picked(rng, eligible, budget.take(DESIL_CHANGE, s, int(kept.sum())))
        bands = np.where(rng.random(chosen.shape[0]) < parameters.desil_one_step_share, 1, 2)
        delta = DESIL_WIDTH * bands * np.where(rng.random(chosen.shape[0]) < 0.5, -1, 1)
        before = percentile[s, chosen] - delta
        outside = (before < 1) | (before > MAX_RANKED_PERCENTILE)
        percentile[s - 1, chosen] = np.where(outside, percentile[s, chosen] + delta, before)
        rows.append((s, chosen))
    return percentile, rows


def malformed_niks(
    rng: np.random.Generator, people: Individuals, selection: Selection
) -> Malformed:
    """The NIKs corrected at each step, as written before (15 digits or a letter)."""
    until, person = steps_and_indexes(selection.corrections)
    kinds = [MALFORMED_KINDS[int(rng.integers(0, len(MALFORMED_KINDS)))] for _ in person]
    texts = [
        nik_variants(rng, kind, [str(people.nik[q])])[0]
        for kind, q in zip(kinds, person.tolist(), strict=True)
    ]
    return Malformed(person, until, kinds, texts)


def chunk_history(
    rng: np.random.Generator,
    final: Population,
    final_dirty: np.ndarray,
    families: PkhFamilies,
    shadow_of: Callable[[np.ndarray], Population],
    ids: IdentitySource,
    deliveries: int,
    parameters: ChangeParameters,
    budget: ChangeBudget,
) -> History:
    """The chunk's history over `deliveries` deliveries, its last delivery being `final`
    (`final_dirty`: its members whose row carries a defect there).
    `shadow_of(positions)` generates households at those plan positions (fresh IDBDTs), for
    the households that left and the members who died before the last delivery."""
    selection, host = household_changes(rng, final, families, deliveries, parameters, budget)
    member_changes(
        rng, final, families, host, final_dirty, deliveries, parameters, budget, selection
    )
    universe, pool = universe_of(rng, final, selection, parameters, shadow_of)
    n_final = len(final.households)
    spans = household_spans(universe, n_final, selection, deliveries, ids)
    places = member_places(rng, universe, spans, selection, host, parameters.split_generation_gap)
    exit_rows = exits(
        rng, universe, range(n_final, n_final + pool), spans, places, selection, parameters
    )
    dying = deaths(rng, universe, n_final + pool, places, selection, parameters)
    numbered(places, universe.people)
    percentile, desil_rows = desil_history(
        rng, universe, n_final, spans, deliveries, parameters, budget
    )
    return History(
        universe=universe,
        final_households=n_final,
        final_people=len(final.people),
        spans=spans,
        percentile=percentile,
        person_from=places.person_from,
        person_until=places.person_until,
        switch=places.switch,
        home=places.home,
        early=places.early,
        recipients=families.recipient_row[families.recipient_row >= 0],
        malformed=malformed_niks(rng, universe.people, selection),
        selection=selection,
        exits=exit_rows,
        desil_changes=desil_rows,
        dying=dying,
    )
