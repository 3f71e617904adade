"""Which households and members change at each step between two deliveries: drawn on the
last delivery's population, at the rates of ChangeParameters (demography.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scripts.generate.changes import (
    BIRTH,
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
)
from scripts.generate.demography import ChangeParameters
from scripts.generate.dirt import DirtBudget
from scripts.generate.individuals import CHILD, GRANDCHILD, HEAD, SPOUSE, head_rows
from scripts.generate.pkh import PkhFamilies
from scripts.generate.population import Population


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
