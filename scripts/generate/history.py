"""The history of one chunk over the deliveries, derived backwards from its last delivery.

The last delivery is the chunk as a single-delivery run makes it (same households, members,
bytes). Earlier deliveries undo the changes of each step: a household that entered at step s is
absent before it, a member born at step s too; a household that left at step s (exit) or a
member who died is present before it and comes from a "shadow" population generated beside the
chunk (own random streams, IDBDT serials above the desa's, NIK and KK serials from 5001), so
that the last delivery stays untouched. Every change stays within the chunk (and a move or a
split within a desa)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from scripts.generate.changes import (
    BIRTH,
    CHANGE_KINDS,
    DEATH,
    DESIL_CHANGE,
    ENTRY_KINDS,
    EXIT_DECEASED,
    EXIT_GRADUATED,
    EXIT_KINDS,
    EXIT_MOVED_AWAY,
    HOUSEHOLD_SPLIT,
    MEMBER_MOVED,
    NIK_CORRECTED,
    REREGISTRATION,
    SPLIT_MEMBER,
)
from scripts.generate.demography import ChangeParameters, rate_by_age
from scripts.generate.dirt import DirtBudget, nik_variants
from scripts.generate.households import Households
from scripts.generate.individuals import (
    CHILD,
    GRANDCHILD,
    HEAD,
    IN_LAW,
    OTHER,
    SPOUSE,
    Individuals,
    head_rows,
)
from scripts.generate.pkh import PkhFamilies

NEVER = np.iinfo(np.int64).max
MALFORMED_KINDS = ("nik_15_digits", "nik_letters")


def step_rates(parameters: ChangeParameters, interval_months: int) -> dict[str, float]:
    """Rate of each change kind per step (per person or household of the delivery)."""
    years = interval_months / 12
    p = parameters
    per_year = {
        BIRTH: p.births_per_person_year,
        DEATH: p.deaths_per_person_year,
        MEMBER_MOVED: p.member_moves_per_person_year,
        HOUSEHOLD_SPLIT: p.splits_per_household_year,
        EXIT_MOVED_AWAY: p.exits_moved_away_per_household_year,
        EXIT_DECEASED: p.exits_deceased_per_household_year,
        EXIT_GRADUATED: p.exits_graduated_per_household_year,
        ENTRY_KINDS[0]: p.entries_fkp_addition_per_household_year,
        ENTRY_KINDS[1]: p.entries_new_registration_per_household_year,
        REREGISTRATION: p.reregistrations_per_household_year,
        DESIL_CHANGE: p.desil_changes_per_household_year,
        NIK_CORRECTED: p.nik_corrections_per_person_year,
    }
    return {kind: min(1.0, rate * years) for kind, rate in per_year.items()}


class ChangeBudget:
    """Changes of each kind and step, chunk after chunk (the running total follows the rate)."""

    def __init__(self, parameters: ChangeParameters, interval_months: int, steps: int) -> None:
        rates = step_rates(parameters, interval_months)
        self.budget = DirtBudget(
            {f"{kind}@{s}": rate for kind, rate in rates.items() for s in range(1, steps + 1)}
        )

    def take(self, kind: str, step: int, base: int) -> int:
        return self.budget.take(f"{kind}@{step}", base)


class IdentitySource:
    """New IDBDT serials (above every serial of the desa in the single-delivery files) and new
    positions (for NoPesertaPBDT), unique over the run."""

    def __init__(self, desa_households: np.ndarray, generated: int) -> None:
        self.next_serial = desa_households.astype(np.int64) + 1
        self.next_position = generated

    def serials(self, desa: np.ndarray) -> np.ndarray:
        order = np.argsort(desa, kind="stable")
        ordered = desa[order]
        new_group = np.ones(ordered.shape[0], dtype=bool)
        new_group[1:] = ordered[1:] != ordered[:-1]
        first = np.flatnonzero(new_group)
        rank = np.arange(ordered.shape[0]) - np.repeat(first, np.diff(np.append(first, len(order))))
        out = np.empty(desa.shape[0], dtype=np.int64)
        out[order] = self.next_serial[ordered] + rank
        self.next_serial += np.bincount(desa, minlength=self.next_serial.shape[0])
        return out

    def positions(self, n: int) -> np.ndarray:
        out = np.arange(self.next_position, self.next_position + n, dtype=np.int64)
        self.next_position += n
        return out


def taken(value: Any, rows: np.ndarray) -> Any:
    """Rows of an array, Arrow array, dict of arrays or dataclass of them."""
    if isinstance(value, np.ndarray):
        return value[rows]
    if isinstance(value, pa.Array):
        return value.take(pa.array(rows, type=pa.int64()))
    if isinstance(value, dict):
        return {k: taken(v, rows) for k, v in value.items()}
    return type(value)(**{f.name: taken(getattr(value, f.name), rows) for f in fields(value)})


def joined(first: Any, second: Any) -> Any:
    """Rows of `first` then rows of `second` (same structure as in `taken`)."""
    if isinstance(first, np.ndarray):
        return np.concatenate([first, second.astype(first.dtype)])
    if isinstance(first, pa.Array):
        return pa.concat_arrays([first, second])
    if isinstance(first, dict):
        return {k: joined(v, second[k]) for k, v in first.items()}
    return type(first)(
        **{f.name: joined(getattr(first, f.name), getattr(second, f.name)) for f in fields(first)}
    )


@dataclass
class Population:
    """Households and members with their program flags (one chunk, or one delivery of it)."""

    households: Households
    people: Individuals
    household_flags: dict[str, np.ndarray]
    person_flags: dict[str, np.ndarray]


@dataclass
class Malformed:
    """Members whose NIK is written malformed in the deliveries before `until`."""

    person: np.ndarray  # universe person index (in a delivery: its rows)
    until: np.ndarray
    kind: list[str]
    text: list[str]
    # In a delivery: the rows of the NIKs corrected in it, kept free of defects.
    corrected: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class History:
    """The chunk's final population followed by its shadow population ("universe"), and when
    each household and member is present where. Delivery d holds household u when
    household_from[u] <= d < household_until[u], with its old IDBDT when d < reregistered[u];
    member q when person_from[q] <= d < person_until[q], in early_* when d < switch[q], else in
    home_*."""

    universe: Population
    final_households: int
    final_people: int
    household_from: np.ndarray
    household_until: np.ndarray
    reregistered: np.ndarray
    old_idbdt: np.ndarray
    old_serial: np.ndarray
    old_position: np.ndarray
    percentile: np.ndarray  # (deliveries, households)
    person_from: np.ndarray
    person_until: np.ndarray
    switch: np.ndarray
    home: dict[str, np.ndarray]  # hh, member_no, hub, nuk, hubkel
    early: dict[str, np.ndarray]
    recipients: np.ndarray  # universe person index of each BDT PKH recipient
    malformed: Malformed
    changes: list[pd.DataFrame] = field(default_factory=list)


def picked(
    rng: np.random.Generator, eligible: np.ndarray, n: int, weight: np.ndarray | None = None
) -> np.ndarray:
    """Up to n distinct indexes where `eligible` holds, drawn with probability ~ weight."""
    candidates = np.flatnonzero(eligible)
    n = min(n, candidates.shape[0])
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    p = None
    if weight is not None:
        w = np.clip(weight[candidates], 1e-9, None)
        p = w / w.sum()
    return np.sort(rng.choice(candidates, size=n, replace=False, p=p))


def neighbours(
    rng: np.random.Generator, hosts: np.ndarray, desa: np.ndarray, targets: np.ndarray
) -> np.ndarray:
    """For each target household, another host household of the same desa (else any host)."""
    order = np.argsort(desa[hosts], kind="stable")
    hosts = hosts[order]
    host_desa = desa[hosts]
    lo = np.searchsorted(host_desa, desa[targets], side="left")
    hi = np.searchsorted(host_desa, desa[targets], side="right")
    u = rng.random(targets.shape[0])
    same = hi - lo > np.isin(targets, hosts)  # another host than the target itself
    pick = np.where(same, lo + np.floor(u * (hi - lo)).astype(np.int64), 0)
    pick = np.where(same, np.minimum(pick, hi - 1), np.floor(u * hosts.shape[0]).astype(np.int64))
    chosen = hosts[np.minimum(pick, hosts.shape[0] - 1)]
    clash = chosen == targets
    if clash.any() and hosts.shape[0] > 1:
        nxt = np.where(same, lo + (pick - lo + 1) % np.maximum(hi - lo, 1), (pick + 1))
        chosen = np.where(clash, hosts[nxt % hosts.shape[0]], chosen)
    return chosen


def desil_band(percentile: np.ndarray) -> np.ndarray:
    """1-4 for percentiles 1-40, 0 otherwise."""
    return np.where((percentile >= 1) & (percentile <= 40), (percentile + 9) // 10, 0)


def ids_at(history: History, household: np.ndarray, delivery: np.ndarray | int) -> np.ndarray:
    """IDBDT of universe households in a delivery."""
    final = history.universe.households.idbdt[household]
    return np.where(delivery < history.reregistered[household], history.old_idbdt[household], final)


def place_at(
    history: History, person: np.ndarray, delivery: np.ndarray | int
) -> dict[str, np.ndarray]:
    """Household (universe index), member number, Hub_KRT, NUK and Hubkel of members in a
    delivery."""
    early = delivery < history.switch[person]
    return {
        k: np.where(early, history.early[k][person], history.home[k][person]) for k in history.home
    }


def change_frame(
    history: History,
    kind: str,
    step: np.ndarray | int,
    before: np.ndarray | None = None,
    after: np.ndarray | None = None,
    person: np.ndarray | None = None,
    detail: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of manifest_changes.csv: households `before` (in delivery step - 1) and `after` (in
    delivery step), or the households `person` is in then; member numbers when `person` is given."""
    n = next(a.shape[0] for a in (before, after, person) if a is not None)
    step = np.broadcast_to(np.asarray(step, dtype=np.int64), (n,))
    frame = pd.DataFrame({"kind": [kind] * n, "step": step})
    blank = pd.array([pd.NA] * n, dtype="Int64")
    for side, households, delivery in (("before", before, step - 1), ("after", after, step)):
        ids = blank if households is None else ids_at(history, households, delivery)
        frame[f"idbdt_{side}"] = pd.array(ids, dtype="Int64")
        member = blank
        if person is not None:
            place = place_at(history, person, delivery)
            if households is not None:
                member = pd.array(ids * 100 + place["member_no"], dtype="Int64")
        frame[f"idartbdt_{side}"] = member
    frame["desil_before"] = blank
    frame["desil_after"] = blank
    frame["percentile_before"] = blank
    frame["percentile_after"] = blank
    frame["detail"] = detail if detail is not None else [""] * n
    return frame


def member_household(history: History, person: np.ndarray, delivery: np.ndarray) -> np.ndarray:
    return place_at(history, person, delivery)["hh"]


@dataclass
class Selection:
    """What each step changes, by final household or member index (one entry per step)."""

    entries: list[tuple[str, int, np.ndarray]] = field(default_factory=list)
    splits: list[tuple[int, np.ndarray, np.ndarray]] = field(default_factory=list)  # child, parent
    reregistrations: list[tuple[int, np.ndarray]] = field(default_factory=list)
    births: list[tuple[int, np.ndarray]] = field(default_factory=list)
    moves: list[tuple[int, np.ndarray]] = field(default_factory=list)
    corrections: list[tuple[int, np.ndarray]] = field(default_factory=list)
    death_hosts: list[tuple[int, np.ndarray]] = field(default_factory=list)
    exits: list[tuple[str, int, int]] = field(default_factory=list)  # kind, step, count


def household_changes(
    rng: np.random.Generator,
    final: Population,
    families: PkhFamilies,
    deliveries: int,
    parameters: ChangeParameters,
    budget: ChangeBudget,
) -> tuple[Selection, np.ndarray]:
    """Entries, splits and re-registrations of the final households (never an orphan or a PKH
    household, each household at most one of them), and the households left unchanged (hosts:
    they take births, moves, deaths and split members)."""
    households, people = final.households, final.people
    z = households.z
    kept = ~households.is_orphan
    base = int(kept.sum())
    pkh = np.zeros(len(households), dtype=bool)
    pkh[families.household[families.household >= 0]] = True
    available = kept & ~pkh
    head_age = people.age[head_rows(people)]
    child_ok = (households.size <= parameters.split_child_max_size) & (
        head_age <= parameters.split_head_max_age
    )
    selection = Selection()
    steps = range(1, deliveries)
    for s in steps:
        for kind in ENTRY_KINDS:
            chosen = picked(
                rng, available, budget.take(kind, s, base), parameters.entry_weight.at(z)
            )
            available[chosen] = False
            selection.entries.append((kind, s, chosen))
    children = []
    for s in steps:
        chosen = picked(rng, available & child_ok, budget.take(HOUSEHOLD_SPLIT, s, base))
        available[chosen] = False
        children.append((s, chosen))
    for s in steps:
        chosen = picked(rng, available, budget.take(REREGISTRATION, s, base))
        available[chosen] = False
        selection.reregistrations.append((s, chosen))
    host = kept & (available | pkh)
    hosts = np.flatnonzero(host)
    for s, chosen in children:
        if hosts.shape[0] == 0:
            host[chosen] = True  # nobody to split from: the household stays as it is
            continue
        selection.splits.append((s, chosen, neighbours(rng, hosts, households.desa, chosen)))
    return selection, host


def member_changes(
    rng: np.random.Generator,
    final: Population,
    families: PkhFamilies,
    host: np.ndarray,
    final_dirty: np.ndarray,
    deliveries: int,
    parameters: ChangeParameters,
    budget: ChangeBudget,
    selection: Selection,
) -> None:
    """Births, moves, NIK corrections (members of host households, never a PKH recipient) and
    the host households where a member dies, step by step."""
    households, people = final.households, final.people
    base = len(people)
    in_host = host[people.hh]
    recipient = np.zeros(base, dtype=bool)
    recipient[families.recipient_row[families.recipient_row >= 0]] = True
    steps = list(range(1, deliveries))
    wanted = [budget.take(BIRTH, s, base) for s in steps]
    newborn = (
        in_host
        & np.isin(people.hub, (CHILD, GRANDCHILD))
        & (people.age <= parameters.newborn_max_age)
    )
    born = picked(rng, newborn, sum(wanted), parameters.birth_weight.at(households.z[people.hh]))
    born = born[np.argsort(-people.birth[born].astype(np.int64), kind="stable")]
    start = 0
    for s, n in sorted(zip(steps, wanted, strict=True), reverse=True):  # youngest born last
        selection.births.append((s, np.sort(born[start : start + n])))
        start += n
    free = in_host & ~recipient & ~np.isin(people.hub, (HEAD, SPOUSE))
    free[born] = False
    movable = free & (people.age >= parameters.mover_min_age)
    for s in steps:
        chosen = picked(rng, movable, budget.take(MEMBER_MOVED, s, base))
        movable[chosen] = free[chosen] = False
        selection.moves.append((s, chosen))
    correctable = in_host & ~recipient
    correctable[final_dirty] = False  # the corrected NIK is clean in the last delivery
    correctable[born] = False
    for _, moved in selection.moves:
        correctable[moved] = False
    for s in steps:
        chosen = picked(rng, correctable, budget.take(NIK_CORRECTED, s, base))
        correctable[chosen] = False
        selection.corrections.append((s, chosen))
    death_weight = households.size * parameters.death_weight.at(households.z)
    for s in steps:
        chosen = picked(rng, host, budget.take(DEATH, s, base), death_weight)
        selection.death_hosts.append((s, chosen))
    for s in steps:
        for kind in EXIT_KINDS:
            selection.exits.append(
                (kind, s, budget.take(kind, s, int((~households.is_orphan).sum())))
            )


def first_per_group(rng: np.random.Generator, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """One row per group, drawn with probability ~ weight within the group (rows grouped)."""
    key = rng.exponential(size=group.shape[0]) / np.clip(weight, 1e-9, None)
    order = np.lexsort((key, group))
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    return np.sort(order[first])


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
    households, people = final.households, final.people
    n_final, m_final = len(households), len(people)
    selection, host = household_changes(rng, final, families, deliveries, parameters, budget)
    member_changes(
        rng, final, families, host, final_dirty, deliveries, parameters, budget, selection
    )
    exits = sum(n for _, _, n in selection.exits)
    pool = parameters.exit_pool_factor * exits
    death_hosts = np.concatenate([h for _, h in selection.death_hosts] + [np.zeros(0, np.int64)])
    positions = np.concatenate(
        [
            households.positions[rng.integers(0, n_final, size=pool)],
            households.positions[death_hosts],
        ]
    )
    if positions.shape[0]:
        shadow = shadow_of(positions)
    else:
        shadow = taken(final, np.zeros(0, dtype=np.int64))
    shadow.people = replace(shadow.people, hh=shadow.people.hh + n_final)
    universe = joined(final, shadow)
    n_all, m_all = len(universe.households), len(universe.people)

    household_from = np.zeros(n_all, dtype=np.int64)
    household_until = np.full(n_all, deliveries, dtype=np.int64)
    household_until[n_final:] = 0
    for _, s, chosen in selection.entries:
        household_from[chosen] = s
    for s, child, _ in selection.splits:
        household_from[child] = s
    reregistered = np.zeros(n_all, dtype=np.int64)
    old_idbdt = np.zeros(n_all, dtype=np.int64)
    old_serial = np.zeros(n_all, dtype=np.int64)
    old_position = np.zeros(n_all, dtype=np.int64)
    for s, chosen in selection.reregistrations:
        reregistered[chosen] = s
        serial = ids.serials(households.desa[chosen])
        old_serial[chosen] = serial
        old_idbdt[chosen] = households.idbdt[chosen] // 1_000_000 * 1_000_000 + serial
        old_position[chosen] = ids.positions(chosen.shape[0])

    everyone = universe.people
    home = {
        "hh": everyone.hh.copy(),
        "member_no": everyone.member_no.copy(),
        "hub": everyone.hub.copy(),
        "nuk": everyone.nuk.copy(),
        "hubkel": everyone.columns["hubkel"].copy(),
    }
    early = {k: v.copy() for k, v in home.items()}
    person_from = household_from[everyone.hh].copy()
    person_until = household_until[everyone.hh].copy()
    switch = np.zeros(m_all, dtype=np.int64)
    incoming: list[tuple[np.ndarray, np.ndarray, str]] = []  # households, members, which

    max_nuk = np.ones(n_all, dtype=np.int64)
    np.maximum.at(max_nuk, everyone.hh, everyone.nuk)
    split_hub = {HEAD: CHILD, SPOUSE: IN_LAW, CHILD: GRANDCHILD}
    for s, child, parent in selection.splits:
        parent_of = np.full(n_all, -1, dtype=np.int64)
        parent_of[child] = parent
        members = np.flatnonzero(np.isin(everyone.hh[:m_final], child))
        switch[members] = s
        person_from[members] = 0
        early["hh"][members] = parent_of[everyone.hh[members]]
        early["nuk"][members] = max_nuk[early["hh"][members]] + 1
        early["hub"][members] = [split_hub.get(h, OTHER) for h in everyone.hub[members].tolist()]
        incoming.append((early["hh"][members], members, "early"))
    for s, born in selection.births:
        person_from[born] = s
    for s, moved in selection.moves:
        switch[moved] = s
        early["hh"][moved] = neighbours(
            rng, np.flatnonzero(host), households.desa, everyone.hh[moved]
        )
        early["hub"][moved] = OTHER
        early["nuk"][moved] = 1
        early["hubkel"][moved] = OTHER
        incoming.append((early["hh"][moved], moved, "early"))

    # The households that leave, chosen from the pool, and those who die.
    shadow_people = np.arange(m_final, m_all)
    shadow_hh = everyone.hh[shadow_people]
    shadow_heads = shadow_people[everyone.member_no[shadow_people] == 1]
    head_age = np.zeros(n_all, dtype=np.int64)
    head_age[everyone.hh[shadow_heads]] = everyone.age[shadow_heads]
    z_all = universe.households.z
    mortality = rate_by_age(
        parameters.mortality_by_age, parameters.mortality_older, everyone.age, z_all[everyone.hh]
    )
    unused = np.zeros(n_all, dtype=bool)
    unused[n_final : n_final + pool] = True
    exit_rows = []
    for kind, s, n in selection.exits:
        if kind == EXIT_DECEASED:
            weight = rate_by_age(
                parameters.mortality_by_age, parameters.mortality_older, head_age, z_all
            )
            eligible = unused
        elif kind == EXIT_GRADUATED:
            weight = parameters.graduation_weight.at(z_all)
            eligible = unused & (
                universe.households.percentile >= parameters.graduation_min_percentile
            )
        else:
            weight, eligible = None, unused
        chosen = picked(rng, eligible, n, weight)
        unused[chosen] = False
        household_until[chosen] = s
        members = shadow_people[np.isin(shadow_hh, chosen)]
        if kind == EXIT_DECEASED:
            members = members[everyone.member_no[members] == 1]
        person_until[members] = s
        exit_rows.append((kind, s, chosen))
    death_households = n_final + pool + np.arange(death_hosts.shape[0])
    in_death = shadow_people[np.isin(shadow_hh, death_households)]
    dying = in_death[first_per_group(rng, everyone.hh[in_death], mortality[in_death])]
    dying = dying[np.argsort(everyone.hh[dying], kind="stable")]
    host_of_death = np.full(n_all, -1, dtype=np.int64)
    host_of_death[death_households] = death_hosts
    step_of_death = np.zeros(n_all, dtype=np.int64)
    step_of_death[death_households] = np.concatenate(
        [np.full(h.shape[0], s) for s, h in selection.death_hosts] + [np.zeros(0, np.int64)]
    )
    home["hh"][dying] = host_of_death[everyone.hh[dying]]
    home["hub"][dying] = OTHER
    home["nuk"][dying] = 1
    home["hubkel"][dying] = OTHER
    person_from[dying] = 0
    person_until[dying] = step_of_death[everyone.hh[dying]]
    incoming.append((home["hh"][dying], dying, "home"))

    # Members who join a household get the numbers after its own members'.
    max_member = np.zeros(n_all, dtype=np.int64)
    np.maximum.at(max_member, everyone.hh, everyone.member_no)
    if incoming:
        into = np.concatenate([h for h, _, _ in incoming])
        who = np.concatenate([m for _, m, _ in incoming])
        which = np.concatenate([np.full(m.shape[0], w == "early") for _, m, w in incoming])
        order = np.lexsort((who, into))
        number = np.empty(into.shape[0], dtype=np.int64)
        sorted_into = into[order]
        new_group = np.ones(order.shape[0], dtype=bool)
        new_group[1:] = sorted_into[1:] != sorted_into[:-1]
        first = np.flatnonzero(new_group)
        rank = np.arange(order.shape[0]) - np.repeat(
            first, np.diff(np.append(first, order.shape[0]))
        )
        number[order] = max_member[sorted_into] + 1 + rank
        early["member_no"][who[which]] = number[which]
        home["member_no"][who[~which]] = number[~which]

    percentile = np.tile(universe.households.percentile, (deliveries, 1))
    kept_final = np.zeros(n_all, dtype=bool)
    kept_final[:n_final] = ~households.is_orphan
    desil_rows = []
    for s in range(deliveries - 1, 0, -1):
        percentile[s - 1] = percentile[s]
        eligible = kept_final & (household_from <= s - 1) & (percentile[s] > 0)
        chosen = picked(rng, eligible, budget.take(DESIL_CHANGE, s, int(kept_final.sum())))
        bands = np.where(rng.random(chosen.shape[0]) < parameters.desil_one_step_share, 1, 2)
        delta = 10 * bands * np.where(rng.random(chosen.shape[0]) < 0.5, -1, 1)
        before = percentile[s, chosen] - delta
        outside = (before < 1) | (before > 50)
        before = np.where(outside, percentile[s, chosen] + delta, before)
        percentile[s - 1, chosen] = before
        desil_rows.append((s, chosen))

    malformed_kind = []
    malformed_text = []
    corrected = np.concatenate([c for _, c in selection.corrections] + [np.zeros(0, np.int64)])
    until = np.concatenate(
        [np.full(c.shape[0], s) for s, c in selection.corrections] + [np.zeros(0, np.int64)]
    )
    for q in corrected.tolist():
        kind = MALFORMED_KINDS[int(rng.integers(0, len(MALFORMED_KINDS)))]
        malformed_kind.append(kind)
        malformed_text.append(nik_variants(rng, kind, [str(everyone.nik[q])])[0])

    history = History(
        universe=universe,
        final_households=n_final,
        final_people=m_final,
        household_from=household_from,
        household_until=household_until,
        reregistered=reregistered,
        old_idbdt=old_idbdt,
        old_serial=old_serial,
        old_position=old_position,
        percentile=percentile,
        person_from=person_from,
        person_until=person_until,
        switch=switch,
        home=home,
        early=early,
        recipients=families.recipient_row[families.recipient_row >= 0],
        malformed=Malformed(corrected, until, malformed_kind, malformed_text),
    )
    history.changes = change_frames(history, selection, exit_rows, desil_rows, dying)
    return history


def change_frames(
    history: History,
    selection: Selection,
    exit_rows: list[tuple[str, int, np.ndarray]],
    desil_rows: list[tuple[int, np.ndarray]],
    dying: np.ndarray,
) -> list[pd.DataFrame]:
    """Every change of the chunk as rows of manifest_changes.csv (with their step)."""
    frames = []
    for kind, s, chosen in selection.entries:
        frames.append(change_frame(history, kind, s, after=chosen))
    for s, child, parent in selection.splits:
        frames.append(change_frame(history, HOUSEHOLD_SPLIT, s, before=parent, after=child))
        members = np.flatnonzero(np.isin(history.home["hh"][: history.final_people], child))
        frames.append(
            change_frame(
                history,
                SPLIT_MEMBER,
                s,
                before=member_household(history, members, s - 1),
                after=member_household(history, members, s),
                person=members,
            )
        )
    for s, chosen in selection.reregistrations:
        frames.append(change_frame(history, REREGISTRATION, s, before=chosen, after=chosen))
    for s, born in selection.births:
        frames.append(
            change_frame(history, BIRTH, s, after=member_household(history, born, s), person=born)
        )
    for s, moved in selection.moves:
        frames.append(
            change_frame(
                history,
                MEMBER_MOVED,
                s,
                before=member_household(history, moved, s - 1),
                after=member_household(history, moved, s),
                person=moved,
            )
        )
    step_of_death = history.person_until[dying]
    frames.append(
        change_frame(
            history,
            DEATH,
            step_of_death,
            before=member_household(history, dying, step_of_death - 1),
            person=dying,
        )
    )
    for kind, s, chosen in exit_rows:
        frames.append(change_frame(history, kind, s, before=chosen))
    for s, chosen in desil_rows:
        frame = change_frame(history, DESIL_CHANGE, s, before=chosen, after=chosen)
        before, after = history.percentile[s - 1, chosen], history.percentile[s, chosen]
        frame["desil_before"] = pd.array(desil_band(before), dtype="Int64")
        frame["desil_after"] = pd.array(desil_band(after), dtype="Int64")
        frame["percentile_before"] = pd.array(before, dtype="Int64")
        frame["percentile_after"] = pd.array(after, dtype="Int64")
        frames.append(frame)
    bad = history.malformed
    frames.append(
        change_frame(
            history,
            NIK_CORRECTED,
            bad.until,
            before=member_household(history, bad.person, bad.until - 1),
            after=member_household(history, bad.person, bad.until),
            person=bad.person,
            detail=bad.kind,
        )
    )
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    frames = [f for f in frames if len(f)]
    if not frames:
        return []
    table = pd.concat(frames, ignore_index=True)
    table["order"] = table["kind"].map(order)
    table = table.sort_values(["step", "order"], kind="stable").drop(columns="order")
    return [table]


def population_at(history: History, delivery: int) -> tuple[Population, np.ndarray, Malformed]:
    """The chunk as delivered in `delivery`: households in file order (SLS, serial), members
    by household and member number; the rows of the PKH recipients; the malformed NIKs (rows)."""
    universe = history.universe
    households = universe.households
    present = (history.household_from <= delivery) & (delivery < history.household_until)
    old = delivery < history.reregistered
    serial = np.where(old, history.old_serial, households.serial)
    rows = np.flatnonzero(present)
    rows = rows[np.lexsort((serial[rows], households.sls[rows]))]
    new_index = np.full(len(households), -1, dtype=np.int64)
    new_index[rows] = np.arange(rows.shape[0])

    everyone = np.arange(len(universe.people))
    place = place_at(history, everyone, delivery)
    here = (history.person_from <= delivery) & (delivery < history.person_until)
    members = np.flatnonzero(here)
    if (new_index[place["hh"][members]] < 0).any():
        raise AssertionError("a member of an absent household")
    members = members[np.lexsort((place["member_no"][members], new_index[place["hh"][members]]))]

    people = taken(universe.people, members)
    people.hh = new_index[place["hh"][members]]
    people.member_no = place["member_no"][members]
    people.hub = place["hub"][members]
    people.nuk = place["nuk"][members]
    people.columns = {**people.columns, "hubkel": place["hubkel"][members]}
    chosen = taken(households, rows)
    chosen.idbdt = np.where(old, history.old_idbdt, households.idbdt)[rows]
    chosen.serial = serial[rows]
    chosen.positions = np.where(old, history.old_position, households.positions)[rows]
    chosen.percentile = history.percentile[delivery, rows]
    chosen.size = np.bincount(people.hh, minlength=rows.shape[0])
    household_flags = taken(universe.household_flags, rows)
    person_flags = taken(universe.person_flags, members)
    for person, household in (
        ("ada_kks", "sta_kks"),
        ("ada_pkh", "sta_pkh"),
        ("ada_rastra", "sta_rastra"),
    ):
        person_flags[person] = household_flags[household][people.hh]

    row_of = np.full(len(universe.people), -1, dtype=np.int64)
    row_of[members] = np.arange(members.shape[0])
    recipients = row_of[history.recipients]
    if (recipients < 0).any():
        raise AssertionError("a PKH recipient absent from a delivery")
    bad = history.malformed
    still = delivery < bad.until
    malformed = Malformed(
        row_of[bad.person[still]],
        bad.until[still],
        [k for k, s in zip(bad.kind, still.tolist(), strict=True) if s],
        [t for t, s in zip(bad.text, still.tolist(), strict=True) if s],
        row_of[bad.person[bad.until == delivery]],
    )
    return Population(chosen, people, household_flags, person_flags), recipients, malformed
