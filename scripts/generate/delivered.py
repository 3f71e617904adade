"""One delivery of a chunk's history: its households and members as written, and the rows of
its manifest_changes.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.generate.changes import (
    BIRTH,
    CHANGE_KINDS,
    DEATH,
    DESIL_CHANGE,
    HOUSEHOLD_SPLIT,
    MEMBER_MOVED,
    NIK_CORRECTED,
    REREGISTRATION,
    SPLIT_MEMBER,
)
from scripts.generate.history import History
from scripts.generate.population import Malformed, Population, taken


def desil_band(percentile: np.ndarray) -> np.ndarray:
    """1-4 for percentiles 1-40, 0 otherwise."""
    return np.where((percentile >= 1) & (percentile <= 40), (percentile + 9) // 10, 0)


def ids_at(history: History, household: np.ndarray, delivery: np.ndarray | int) -> np.ndarray:
    """IDBDT of universe households in a delivery."""
    final = history.universe.households.idbdt[household]
    spans = history.spans
    return np.where(delivery < spans.reregistered[household], spans.old_idbdt[household], final)


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


def member_moved_frame(history: History, kind: str, step: int, members: np.ndarray) -> pd.DataFrame:
    """Rows of manifest_changes.csv for members who are in another household in delivery
    `step` than in the one before (a move, or a member of a split)."""
    return change_frame(
        history,
        kind,
        step,
        before=member_household(history, members, step - 1),
        after=member_household(history, members, step),
        person=members,
    )


def change_table(history: History) -> pd.DataFrame:
    """Every change of the chunk as rows of manifest_changes.csv, with their step (the
    delivery they lead to), by step and kind."""
    selection, dying = history.selection, history.dying
    frames = []
    for kind, s, chosen in selection.entries:
        frames.append(change_frame(history, kind, s, after=chosen))
    for s, child, parent in selection.splits:
        frames.append(change_frame(history, HOUSEHOLD_SPLIT, s, before=parent, after=child))
        members = np.flatnonzero(np.isin(history.home["hh"][: history.final_people], child))
        frames.append(member_moved_frame(history, SPLIT_MEMBER, s, members))
    for s, chosen in selection.reregistrations:
        frames.append(change_frame(history, REREGISTRATION, s, before=chosen, after=chosen))
    for s, born in selection.births:
        frames.append(
            change_frame(history, BIRTH, s, after=member_household(history, born, s), person=born)
        )
    for s, moved in selection.moves:
        frames.append(member_moved_frame(history, MEMBER_MOVED, s, moved))
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
    for kind, s, chosen in history.exits:
        frames.append(change_frame(history, kind, s, before=chosen))
    for s, chosen in history.desil_changes:
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
    table = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    table["order"] = table["kind"].map(order)
    return table.sort_values(["step", "order"], kind="stable").drop(columns="order")


def population_at(history: History, delivery: int) -> tuple[Population, np.ndarray, Malformed]:
    """The chunk as delivered in `delivery`: households in file order (SLS, serial), members
    by household and member number; the rows of the PKH recipients; the malformed NIKs (rows)."""
    universe = history.universe
    households = universe.households
    spans = history.spans
    present = (spans.household_from <= delivery) & (delivery < spans.household_until)
    old = delivery < spans.reregistered
    serial = np.where(old, spans.old_serial, households.serial)
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
    chosen.idbdt = np.where(old, spans.old_idbdt, households.idbdt)[rows]
    chosen.serial = serial[rows]
    chosen.positions = np.where(old, spans.old_position, households.positions)[rows]
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
