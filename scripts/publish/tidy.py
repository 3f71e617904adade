"""What is published of a protected table: rounded values, suppressed ones blanked, labels
attached; as tidy CSV for machines and as region x column grids for the Excel and HTML views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .labels import DEFINITIONS, MEASURES
from .model import COUNT, TOTAL, Panel, Table

CSV_COLUMNS = [
    "table",
    "region_level",
    "region_code",
    "region_name",
    "desil",
    "measure",
    "measure_label_id",
    "measure_label_en",
    "value",
    "unit",
    "suppressed",
    "flag",
    "base",
    "base_unit",
    "unknown",
    "numerator_id",
    "numerator_en",
    "denominator_id",
    "denominator_en",
]
# Decimals of published values: counts and years whole, the BPS poverty rate as published
# (two decimals), everything else one decimal.
MEASURE_DECIMALS = {"poverty_rate": 2, "poverty_year": 0, "poor_people": 0}


@dataclass(frozen=True)
class ColumnFormat:
    unit: str
    decimals: int


def decimals_of(measure: str, kind: str) -> int:
    return 0 if kind == COUNT else MEASURE_DECIMALS.get(measure, 1)


def rounded(cells: pd.DataFrame) -> pd.Series:
    """The cells' values as published (see decimals_of)."""
    return pd.Series(
        [
            round(value, decimals_of(measure, kind))
            for value, measure, kind in zip(
                cells["value"], cells["measure"], cells["kind"], strict=True
            )
        ],
        index=cells.index,
        dtype=float,
    )


def published_cells(table: Table) -> pd.DataFrame:
    """The table's cells as published: suppressed values blank, the rest rounded, with the
    bilingual measure labels, the flag, and for a computed value its base (the units of its
    denominator it rests on), the units left out as unknown, and its definition (numerator,
    denominator); a suppressed value's base and unknown count are blank too."""
    cells = table.cells
    shown = ~cells["suppressed"]
    is_count = cells["kind"] == COUNT
    value = rounded(cells).where(shown)
    definitions = cells["measure"].map(DEFINITIONS)
    denominators = [definition.denominator for definition in definitions]
    return pd.DataFrame(
        {
            "table": table.slug,
            "region_level": cells["region_level"],
            "region_code": cells["region_code"],
            "region_name": cells["region_name"],
            "desil": cells["desil"],
            "measure": cells["measure"],
            "measure_label_id": cells["measure"].map(lambda code: MEASURES[code].id),
            "measure_label_en": cells["measure"].map(lambda code: MEASURES[code].en),
            "value": value,
            "unit": cells["unit"],
            "suppressed": cells["suppressed"].astype(bool),
            "flag": cells["flag"],
            "base": cells["base"].where(shown & ~is_count),
            "base_unit": cells["base_unit"].where(~is_count, ""),
            "unknown": cells["unknown"].where(shown & ~is_count),
            "numerator_id": [definition.numerator.id for definition in definitions],
            "numerator_en": [definition.numerator.en for definition in definitions],
            "denominator_id": [d.id if d else "" for d in denominators],
            "denominator_en": [d.en if d else "" for d in denominators],
        }
    )[CSV_COLUMNS].reset_index(drop=True)


def written_csv(table: Table, folder: Path) -> Path:
    """tables/<nn>_<name>.csv: the published cells, long format, UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table.slug}.csv"
    cells = published_cells(table)
    for column in ("value", "base", "unknown"):
        cells[column] = [_csv_number(value) for value in cells[column]]
    cells["suppressed"] = cells["suppressed"].map({True: "true", False: "false"})
    cells.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _csv_number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def row_order(table: Table) -> pd.DataFrame:
    """The rows of a table: (region_code, region_name, is_total) in publication order, the
    total row last."""
    rows = table.cells[["region_code", "region_name"]].drop_duplicates("region_code")
    rows = rows.assign(is_total=rows["region_code"] == TOTAL)
    return rows.sort_values(["is_total", "region_code"], ignore_index=True)


def panel_grid(table: Table, panel: Panel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, suppressed) of a panel: one row per region (total last), one column per
    panel column (its key), values rounded and blank where suppressed."""
    cells = table.cells
    published = rounded(cells)
    keyed = cells.assign(
        key=cells["measure"] + "|" + cells["desil"], published=published
    ).drop_duplicates(["region_code", "key"])
    keys = [column.key for column in panel.columns]
    order = list(row_order(table)["region_code"])
    values = keyed.pivot(index="region_code", columns="key", values="published")
    flags = keyed.pivot(index="region_code", columns="key", values="suppressed")
    values = values.reindex(index=order, columns=keys)
    flags = flags.reindex(index=order, columns=keys).fillna(False).astype(bool)
    return values.where(~flags), flags


def panel_formats(table: Table, panel: Panel) -> dict[str, ColumnFormat]:
    """Unit and decimals of each column of a panel (a panel may mix units, e.g. table 8)."""
    first = (
        table.cells.assign(key=table.cells["measure"] + "|" + table.cells["desil"])
        .drop_duplicates("key")
        .set_index("key")
    )
    formats = {}
    for column in panel.columns:
        if column.key in first.index:
            row = first.loc[column.key]
            formats[column.key] = ColumnFormat(
                str(row["unit"]), decimals_of(str(row["measure"]), str(row["kind"]))
            )
        else:
            formats[column.key] = ColumnFormat(panel.unit, 1)
    return formats


def all_published(tables: Sequence[Table]) -> pd.DataFrame:
    return pd.concat([published_cells(table) for table in tables], ignore_index=True)
