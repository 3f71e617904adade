"""Disclosure control: small cells are suppressed, and so is one neighbour of a lone suppressed
cell in every row and column, until no suppressed cell can be recovered from the totals.

The rule (OpenSPP's, k = 5 by default):
- primary: a count below k is suppressed, and so is any value computed from fewer than k units
  (its base, in the unit of its denominator: households, or persons for a person question) or
  from the units of fewer than k households (`base_households`: 5 boys of 4 households are too
  few), with its base and its unknown count;
- a value from a base under `small_base` units (default 30) but not suppressed is published
  with the flag SMALL_BASE (a footnote mark: imprecise, read with care);
- secondary, for additive counts only: a line is a set of cells that adds up to its total
  (the cells of a row of one measure across the desil and its total column; the cells of a
  column down the regions and the total row). Whenever a line holds exactly one suppressed
  cell, its smallest unsuppressed cell is suppressed too; cells that are linked (e.g. the
  households and the individuals of the same region and desil) are suppressed together; this
  repeats until nothing changes. At the end no line holds exactly one suppressed cell.

The matrix functions work on plain frames (rows x columns) so that they can be tested on
hand-made tables; `protected` applies them to the publication tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from .model import COUNT, REFERENCE, Table, cell_key

SMALL_BASE = "small_base"
SMALL_BASE_DEFAULT = 30


def primary_mask(values: pd.DataFrame, k: int, bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """True where a count is below k or its base (units it is computed from) is below k.
    Missing values (not available) are not suppressed."""
    mask = values.notna() & (values < k)
    if bases is not None:
        aligned = bases.reindex_like(values)
        mask |= values.notna() & aligned.notna() & (aligned < k)
    return mask


def _positions(columns: pd.Index, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
    return [np.array([columns.get_loc(column) for column in group]) for group in groups]


def secondary_mask(
    values: pd.DataFrame,
    mask: pd.DataFrame,
    *,
    row_groups: Sequence[Sequence[str]] | None = None,
    linked: Sequence[Sequence[str]] = (),
    column_lines: bool = True,
) -> pd.DataFrame:
    """`mask` grown until no line holds exactly one suppressed cell.

    Lines: within every row, each group of `row_groups` (default: the whole row); when
    `column_lines`, every column (all rows, the total row included). In a line with exactly
    one suppressed cell, the smallest unsuppressed cell (ties: the first) is suppressed; cells
    of a `linked` group are suppressed together in a row. Missing values are never picked.
    """
    whole_rows = [list(values.columns)]
    groups = _positions(values.columns, whole_rows if row_groups is None else row_groups)
    links = _positions(values.columns, linked)
    numbers = values.to_numpy(dtype=float)
    missing = np.isnan(numbers)
    suppressed = mask.to_numpy(dtype=bool).copy()
    rows = np.arange(numbers.shape[0])
    changed = True
    while changed:
        before = suppressed.copy()
        for group in groups:
            _complete_lines(numbers[:, group], missing[:, group], suppressed, rows, group)
        if column_lines:
            for column in range(numbers.shape[1]):
                _complete_lines(
                    numbers[:, [column]].T,
                    missing[:, [column]].T,
                    suppressed.T,
                    np.array([column]),
                    rows,
                )
        for link in links:
            suppressed[:, link] |= suppressed[:, link].any(axis=1, keepdims=True)
        changed = not np.array_equal(before, suppressed)
    return pd.DataFrame(suppressed, index=values.index, columns=values.columns)


def _complete_lines(
    numbers: np.ndarray,
    missing: np.ndarray,
    suppressed: np.ndarray,
    line_index: np.ndarray,
    cell_index: np.ndarray,
) -> None:
    """One pass over lines: `numbers[i, j]` is cell j of line i, stored in
    `suppressed[line_index[i], cell_index[j]]` (a view, updated in place)."""
    current = suppressed[np.ix_(line_index, cell_index)]
    lone = current.sum(axis=1) == 1
    cost = np.where(current | missing, np.inf, numbers)
    lone &= np.isfinite(cost).any(axis=1)
    for line in np.flatnonzero(lone):
        suppressed[line_index[line], cell_index[int(np.argmin(cost[line]))]] = True


def protected_mask(
    values: pd.DataFrame,
    k: int,
    *,
    bases: pd.DataFrame | None = None,
    row_groups: Sequence[Sequence[str]] | None = None,
    linked: Sequence[Sequence[str]] = (),
    column_lines: bool = True,
) -> pd.DataFrame:
    """Primary then secondary suppression of a matrix of counts."""
    return secondary_mask(
        values,
        primary_mask(values, k, bases),
        row_groups=row_groups,
        linked=linked,
        column_lines=column_lines,
    )


def lone_suppressions(
    mask: pd.DataFrame,
    *,
    row_groups: Sequence[Sequence[str]] | None = None,
    column_lines: bool = True,
) -> list[tuple[str, object, tuple[str, ...]]]:
    """The lines holding exactly one suppressed cell (none after `secondary_mask`)."""
    found: list[tuple[str, object, tuple[str, ...]]] = []
    for group in [list(mask.columns)] if row_groups is None else row_groups:
        counts = mask[list(group)].sum(axis=1)
        found += [("row", row, tuple(group)) for row in counts.index[counts == 1]]
    if column_lines:
        counts = mask.sum(axis=0)
        found += [("column", column, ()) for column in counts.index[counts == 1]]
    return found


# -- the publication tables ---------------------------------------------------------------------


def protected(tables: Sequence[Table], k: int, small_base: int = SMALL_BASE_DEFAULT) -> list[Table]:
    """The tables with `suppressed` and `flag` columns on their cells: counts protected jointly
    within each suppression domain (tables sharing a cell key share its suppression), other
    values suppressed when their base or the households behind it are below k, flagged
    SMALL_BASE when their base is below `small_base`."""
    masks: dict[tuple[str, str, str], bool] = {}
    for domain in dict.fromkeys(table.suppression_domain for table in tables):
        members = [table for table in tables if table.suppression_domain == domain]
        masks.update(_domain_masks(members, k))
    result = []
    for table in tables:
        cells = table.cells
        keys = zip(cells["region_code"], cells["measure"], cells["desil"], strict=True)
        count_flags = [masks.get(key, False) for key in keys]
        is_count = cells["kind"] == COUNT
        computed = (cells["kind"] != REFERENCE) & cells["value"].notna()
        few_units = (cells["base"] < k) | (cells["base_households"] < k)
        suppressed = pd.Series(
            np.where(is_count, count_flags, computed & few_units), index=cells.index, dtype=bool
        )
        imprecise = ~is_count & computed & ~suppressed & (cells["base"] < small_base)
        result.append(
            _with_cells(
                table,
                cells.assign(suppressed=suppressed, flag=np.where(imprecise, SMALL_BASE, "")),
            )
        )
    return result


def _domain_masks(tables: Sequence[Table], k: int) -> dict[tuple[str, str, str], bool]:
    """Suppression of the count cells of tables whose rows are the same regions."""
    counts = pd.concat([table.cells[table.cells["kind"] == COUNT] for table in tables])
    if counts.empty:
        return {}
    counts = counts.assign(
        key=[cell_key(m, d) for m, d in zip(counts["measure"], counts["desil"], strict=True)]
    )
    counts = counts.drop_duplicates(["region_code", "key"])
    values = counts.pivot(index="region_code", columns="key", values="value")
    bases = counts.pivot(index="region_code", columns="key", values="base")
    row_groups = [list(relation) for table in tables for relation in table.row_relations]
    mask = protected_mask(
        values,
        k,
        bases=bases,
        row_groups=row_groups,
        linked=[list(link) for table in tables for link in table.linked],
        column_lines=all(table.additive_rows for table in tables),
    )
    flags: dict[tuple[str, str, str], bool] = {}
    for region, row in mask.iterrows():
        for key, flag in row.items():
            measure, desil = str(key).split("|")
            flags[(str(region), measure, desil)] = bool(flag)
    return flags


def _with_cells(table: Table, cells: pd.DataFrame) -> Table:
    return replace(table, cells=cells)
