"""Cells from sums: the measures of a table computed per region x desil, with the total row
and the total column, as tidy cells (shared by every table of tables.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .labels import MEASURES, Label
from .model import CELL_COLUMNS, COUNT, SHARE, TOTAL, Column, Panel, cell_key
from .warehouse import Extract


@dataclass(frozen=True)
class Measure:
    """How a measure is computed from the sums of a cell.

    A count is the sum of `numerator`; a share, mean or ratio is numerator / denominator x
    `scale`. `base` names the sum that counts the units the value is computed from (what
    suppression compares with k); by default the denominator, or the count itself.
    """

    code: str
    numerator: str
    denominator: str | None = None
    kind: str = COUNT
    unit: str = "households"
    scale: float = 100.0
    base: str | None = None

    @property
    def base_column(self) -> str:
        return self.base or self.denominator or self.numerator


def share(
    code: str, numerator: str, denominator: str = "households", unit: str = "percent"
) -> Measure:
    """A share in % of the denominator's units (-> Measure)."""
    return Measure(code, numerator, denominator, SHARE, unit)


def desil_codes(extract: Extract) -> list[str]:
    return [str(desil) for desil in extract.bands]


def in_target_desil(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of target-desil households, with desil as its column code ('1', '2', ...)."""
    kept = frame[frame["desil"].notna()]
    return kept.assign(desil=kept["desil"].astype(int).astype(str))


def sums_by_region(frame: pd.DataFrame, columns: list[str], regions: list[str]) -> pd.DataFrame:
    """Sums of `columns` per region, every region present, plus the total row."""
    values = frame[columns].astype(float)
    by_region = values.groupby(frame["region_code"]).sum()
    total = pd.DataFrame([values.sum()], index=[TOTAL])
    table = pd.concat([by_region, total]).reindex([*regions, TOTAL], fill_value=0.0)
    return table.rename_axis("region_code").reset_index()


def sums_by_cell(
    frame: pd.DataFrame, columns: list[str], regions: list[str], desils: list[str]
) -> pd.DataFrame:
    """Sums of `columns` per region x desil, with the total column (every target desil) and
    the total row; every cell present (0 when empty)."""
    parts = [
        sums_by_region(frame[frame["desil"] == desil], columns, regions).assign(desil=desil)
        for desil in desils
    ]
    parts.append(sums_by_region(frame, columns, regions).assign(desil=TOTAL))
    return pd.concat(parts, ignore_index=True)


def measure_cells(
    sums: pd.DataFrame, measures: Sequence[Measure], extract: Extract, desil: str | None = None
) -> pd.DataFrame:
    """The tidy cells of `measures` from the sums of each cell (`desil` overrides the desil
    code of every cell, for measures not broken down by desil)."""
    names = dict(zip(extract.regions["region_code"], extract.regions["region_name"], strict=True))
    names[TOTAL] = labels.TOTAL_ROW.both()
    frames = []
    for measure in measures:
        numerator = sums[measure.numerator]
        if measure.denominator is None:
            value = numerator
        else:
            denominator = sums[measure.denominator]
            value = (numerator / denominator.where(denominator > 0)) * measure.scale
        frames.append(
            pd.DataFrame(
                {
                    "region_level": np.where(
                        sums["region_code"] == TOTAL, TOTAL, extract.selection.level.name
                    ),
                    "region_code": sums["region_code"],
                    "region_name": sums["region_code"].map(names),
                    "desil": desil or sums["desil"],
                    "measure": measure.code,
                    "value": value.astype(float),
                    "unit": measure.unit,
                    "base": sums[measure.base_column].astype(float),
                    "kind": measure.kind,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[CELL_COLUMNS]


def desil_panels(
    measures: Sequence[Measure], extract: Extract, titles: dict[str, Label] | None = None
) -> tuple[Panel, ...]:
    """One panel per measure, its columns the target desil and their total."""
    return tuple(
        Panel(
            (titles or {}).get(measure.code, MEASURES[measure.code]),
            measure.unit,
            tuple(
                Column(desil, measure.code, labels.desil_header(desil, extract.bands))
                for desil in [*desil_codes(extract), TOTAL]
            ),
        )
        for measure in measures
    )


def desil_relations(measures: Sequence[Measure], extract: Extract) -> tuple[tuple[str, ...], ...]:
    """Rows of count measures add up across the desil to their total column."""
    return tuple(
        tuple(cell_key(measure.code, desil) for desil in [*desil_codes(extract), TOTAL])
        for measure in measures
        if measure.kind == COUNT
    )


def households_by_desil(extract: Extract, indicators: dict[str, Callable]) -> pd.DataFrame:
    """Target-desil BDT households with a 0/1 or count column per indicator (a function of
    the household rows) and `households` = 1."""
    households = in_target_desil(extract.households)
    columns = {"households": 1.0}
    columns.update({name: rule(households) for name, rule in indicators.items()})
    return households[["region_code", "desil"]].assign(**columns)


def household_cells(
    extract: Extract, indicators: dict[str, Callable], measures: Sequence[Measure]
) -> pd.DataFrame:
    frame = households_by_desil(extract, indicators)
    sums = sums_by_cell(
        frame,
        ["households", *indicators],
        list(extract.regions["region_code"]),
        desil_codes(extract),
    )
    return measure_cells(sums, measures, extract)


def member_cells(
    extract: Extract, groups: dict[str, Callable], measures: Sequence[Measure]
) -> pd.DataFrame:
    """Cells of individual indicators: `groups` give, per column, the members counted (a
    function of the member counts frame returning a 0/1 mask)."""
    members = in_target_desil(extract.members)
    weights = members["members"].astype(float)
    frame = members[["region_code", "desil"]].assign(
        **{name: rule(members).astype(float) * weights for name, rule in groups.items()}
    )
    sums = sums_by_cell(
        frame, list(groups), list(extract.regions["region_code"]), desil_codes(extract)
    )
    return measure_cells(sums, measures, extract)


def between(series: pd.Series, low: int, high: int) -> pd.Series:
    return series.between(low, high).fillna(False).astype(float)


def equals(series: pd.Series, *codes: int) -> pd.Series:
    return series.isin(codes).fillna(False).astype(float)


def differs(series: pd.Series, code: int) -> pd.Series:
    """1 where the code is known and not `code` (unknown counts as 'no')."""
    return (series.notna() & (series != code)).astype(float)
