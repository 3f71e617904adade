"""A panel as the workbook and the report show it: one row per region (the total last) and,
for each panel column, its published value, then for a computed value (share, mean, ratio) its
base n (in its base unit) and, where an answer can be unknown, the units left out as unknown.
A suppressed value hides its base and unknown count too; a value from a small base is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .edition import Edition
from .labels import UNITS, Label
from .model import MEAN, RATIO, SHARE, Column, Panel, Table, cell_key
from .suppression import SMALL_BASE
from .tidy import panel_formats, published_cells, row_order

VALUE = "value"
BASE = "base"
UNKNOWN = "unknown"
COMPUTED_KINDS = (SHARE, MEAN, RATIO)
# Row names the tables write in both languages, shown in the edition's language.
BILINGUAL_NAMES = {label.both(): label for label in (labels.TOTAL_ROW, labels.NATIONAL)}


def region_name_in(name: str, edition: Edition) -> str:
    """A region name as the edition shows it (the total and national rows translated)."""
    label = BILINGUAL_NAMES.get(name)
    return edition.text(label) if label else name


@dataclass(frozen=True)
class GridColumn:
    """A column of the grid: one part (value, base, unknown) of a panel column."""

    column: Column
    part: str
    unit: str  # the value's unit, or the base unit for a base or an unknown count
    decimals: int

    @property
    def header(self) -> Label:
        """The sub-header under the panel column's header."""
        if self.part == BASE:
            return labels.base_header(self.unit)
        if self.part == UNKNOWN:
            return labels.UNKNOWN_HEADER
        return UNITS[self.unit]


@dataclass(frozen=True)
class GridCell:
    value: float  # NaN when suppressed or not available
    suppressed: bool
    flagged: bool


@dataclass(frozen=True)
class GridRow:
    code: str  # "" for the total row
    name: str
    is_total: bool
    cells: tuple[GridCell, ...]

    def name_in(self, edition: Edition) -> str:
        return region_name_in(self.name, edition)


@dataclass(frozen=True)
class PanelGrid:
    title: Label
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]

    @property
    def units(self) -> Label:
        """The units of the panel's values, for its title."""
        units = [UNITS[unit] for unit in dict.fromkeys(c.unit for c in self.value_columns)]
        return Label(", ".join(u.id for u in units), ", ".join(u.en for u in units))

    @property
    def value_columns(self) -> list[GridColumn]:
        return [column for column in self.columns if column.part == VALUE]

    @property
    def has_parts(self) -> bool:
        """True when some value has its base (and unknown count) beside it."""
        return any(column.part != VALUE for column in self.columns)

    @property
    def spans(self) -> list[tuple[Label, int]]:
        """The panel columns' headers with the number of grid columns each spans."""
        return [
            (column.header, sum(1 for c in self.columns if c.column == column))
            for column in dict.fromkeys(c.column for c in self.columns)
        ]

    @property
    def headers(self) -> tuple[tuple[Label, Label], ...]:
        """What the header rows show: (panel column header, sub-header) per grid column."""
        return tuple((column.column.header, column.header) for column in self.columns)


def panel_grids(table: Table) -> list[PanelGrid]:
    """The grids of every panel of a protected table."""
    cells = published_cells(table).assign(
        kind=table.cells["kind"].to_numpy(),
        can_be_unknown=table.cells["unknown"].notna().to_numpy(),
        flagged=(table.cells["flag"] == SMALL_BASE).to_numpy(),
    )
    cells = cells.assign(
        key=[cell_key(m, d) for m, d in zip(cells["measure"], cells["desil"], strict=True)]
    ).drop_duplicates(["region_code", "key"])
    rows = row_order(table)
    grids = {
        name: cells.pivot(index="region_code", columns="key", values=name).reindex(
            rows["region_code"]
        )
        for name in (VALUE, BASE, UNKNOWN, "suppressed", "flagged")
    }
    for name in ("suppressed", "flagged"):
        grids[name] = grids[name].fillna(False).astype(bool)
    cells_by_key = dict(tuple(cells.groupby("key")))
    return [_panel_grid(table, panel, rows, grids, cells_by_key) for panel in table.panels]


def grid_columns(
    table: Table, panel: Panel, cells_by_key: dict[str, pd.DataFrame]
) -> list[GridColumn]:
    """Each panel column's value, then its base and unknown count where it has them."""
    formats = panel_formats(table, panel)
    columns: list[GridColumn] = []
    for column in panel.columns:
        value_format = formats[column.key]
        columns.append(GridColumn(column, VALUE, value_format.unit, value_format.decimals))
        cells = cells_by_key.get(column.key)
        computed = None if cells is None else cells[cells["kind"].isin(COMPUTED_KINDS)]
        if computed is None or computed.empty:
            continue
        base_unit = str(computed["base_unit"].iloc[0])
        columns.append(GridColumn(column, BASE, base_unit, 0))
        if computed["can_be_unknown"].any():
            columns.append(GridColumn(column, UNKNOWN, base_unit, 0))
    return columns


def _panel_grid(
    table: Table,
    panel: Panel,
    rows: pd.DataFrame,
    grids: dict[str, pd.DataFrame],
    cells_by_key: dict[str, pd.DataFrame],
) -> PanelGrid:
    columns = grid_columns(table, panel, cells_by_key)
    by_column = [_column_cells(grids, column, len(rows)) for column in columns]
    return PanelGrid(
        panel.title,
        tuple(columns),
        tuple(
            GridRow("" if is_total else str(code), str(name), bool(is_total), tuple(cells))
            for (code, name, is_total), cells in zip(
                rows.itertuples(index=False), zip(*by_column, strict=True), strict=True
            )
        )
        if columns
        else (),
    )


def _column_cells(grids: dict[str, pd.DataFrame], column: GridColumn, rows: int) -> list[GridCell]:
    """The cells of a grid column, one per row."""
    key = column.column.key
    if key not in grids[VALUE].columns:
        return [GridCell(np.nan, False, False)] * rows
    values = grids[column.part][key].to_numpy(dtype=float)
    suppressed = grids["suppressed"][key].to_numpy()
    flagged = grids["flagged"][key].to_numpy() & (column.part == VALUE)
    return [
        GridCell(float(value), bool(hidden), bool(flag))
        for value, hidden, flag in zip(values, suppressed, flagged, strict=True)
    ]


def measures_of(table: Table) -> list[str]:
    """The measures of a table in the order of its panels."""
    return list(dict.fromkeys(column.measure for panel in table.panels for column in panel.columns))
