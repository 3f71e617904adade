"""The shapes the publication passes around: bilingual labels, tables and their layout."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TOTAL = "total"
"""Code of the total row (region_code) and of the total column (desil: every target desil)."""

ALL = "all"
"""Desil code of a value that is not broken down by desil."""

# Kinds of cells. Counts are additive (rows and columns add up to their totals) and get
# primary and secondary suppression; the others are suppressed when their base is below k;
# reference figures (BPS poverty figures) are public and never suppressed.
COUNT = "count"
SHARE = "share"
MEAN = "mean"
RATIO = "ratio"
REFERENCE = "reference"

# Suffixes of the sums a question gives besides its "yes" count: the units that answered (the
# denominator of its share), those whose answer is unknown, the households behind the answers.
KNOWN = "__known"
UNKNOWN = "__unknown"
HOUSEHOLDS = "__households"

# The columns of a table's cells before suppression, in order: `base` counts the units a value
# rests on (in `base_unit`), `base_households` the households behind them, `unknown` the units
# left out of a share's denominator because their answer is unknown (NaN: not applicable).
CELL_COLUMNS = [
    "region_level",
    "region_code",
    "region_name",
    "desil",
    "measure",
    "value",
    "unit",
    "base",
    "kind",
    "base_unit",
    "base_households",
    "unknown",
]


@dataclass(frozen=True)
class Label:
    """A text in Indonesian and English."""

    id: str
    en: str

    def both(self, separator: str = " / ") -> str:
        return self.id if self.id == self.en else f"{self.id}{separator}{self.en}"


@dataclass(frozen=True)
class Column:
    """One column of a panel: the cells of one measure and desil."""

    desil: str
    measure: str
    header: Label

    @property
    def key(self) -> str:
        return cell_key(self.measure, self.desil)


@dataclass(frozen=True)
class Panel:
    """A block of a table: regions down, its columns across, one unit."""

    title: Label
    unit: str
    columns: tuple[Column, ...]


@dataclass
class Table:
    """A publication table: its cells (tidy, one row per region x column) and its layout.

    `row_relations` lists the additive relations across the columns of a row (each a list of
    cell keys whose last member is their total); every count column is also additive down the
    regions to the total row when `additive_rows` is true. `linked` lists cell keys suppressed
    together in a row (e.g. households and their individuals). Counts of two tables that share
    a key (measure and desil) are the same cells and are protected together.
    """

    number: int
    name: str
    title: Label
    cells: pd.DataFrame
    panels: tuple[Panel, ...]
    notes: tuple[Label, ...] = ()
    row_relations: tuple[tuple[str, ...], ...] = ()
    linked: tuple[tuple[str, ...], ...] = ()
    additive_rows: bool = True
    suppression_domain: str = "regions"

    @property
    def slug(self) -> str:
        return f"{self.number:02d}_{self.name}"

    @property
    def sheet_name(self) -> str:
        return f"T{self.number:02d} {self.name.replace('_', ' ')}"[:31]


def cell_key(measure: str, desil: str) -> str:
    """The key of a column of cells (one measure in one desil column)."""
    return f"{measure}|{desil}"
