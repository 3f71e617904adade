"""Cells from sums: the measures of a table computed per region x desil, with the total row
and the total column, as tidy cells (shared by every table of tables.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .labels import MEASURES, Label
from .model import (
    CELL_COLUMNS,
    COUNT,
    HOUSEHOLDS,
    KNOWN,
    SHARE,
    TOTAL,
    UNKNOWN,
    Column,
    Panel,
    cell_key,
)
from .warehouse import Extract


@dataclass(frozen=True)
class Measure:
    """How a measure is computed from the sums of a cell.

    A count is the sum of `numerator`; a share, mean or ratio is numerator / denominator x
    `scale`. `base` names the sum that counts the units the value is computed from (what
    suppression compares with k; by default the denominator, or the count itself), in
    `base_unit`; `base_households` the households behind those units (the base itself when its
    unit is households). `unknown` names the sum of the units left out of the denominator
    because their answer is unknown (None: no answer can be unknown).
    """

    code: str
    numerator: str
    denominator: str | None = None
    kind: str = COUNT
    unit: str = "households"
    scale: float = 100.0
    base: str | None = None
    base_unit: str = "households"
    base_households: str | None = None
    unknown: str | None = None

    @property
    def base_column(self) -> str:
        return self.base or self.denominator or self.numerator

    @property
    def households_column(self) -> str:
        return self.base_households or self.base_column


@dataclass(frozen=True)
class Question:
    """A yes/no indicator of each household: `answer` gives 1 (yes), 0 (no) or NaN (unknown:
    asked, not answered) per row, `population` 1 for the rows it applies to (default all; the
    others are not applicable, e.g. the sector of a head who does not work)."""

    answer: Callable[[pd.DataFrame], pd.Series]
    population: Callable[[pd.DataFrame], pd.Series] | None = None
    can_be_unknown: bool = True


def question_sums(name: str, question: Question, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The per-row columns of a question: `name` (yes), `name__known` (answered, yes or no:
    the denominator) and, when an answer can be unknown, `name__unknown`."""
    answer = question.answer(frame).astype(float)
    applies = (
        pd.Series(1.0, index=frame.index)
        if question.population is None
        else question.population(frame).astype(float).fillna(0.0)
    )
    columns = {
        name: applies * answer.fillna(0.0),
        name + KNOWN: applies * answer.notna().astype(float),
    }
    if question.can_be_unknown:
        columns[name + UNKNOWN] = applies * answer.isna().astype(float)
    return columns


def share(
    code: str,
    question: str,
    unit: str = "percent",
    base_unit: str = "households",
    can_be_unknown: bool = True,
) -> Measure:
    """A share: the units answering yes to `question` in % of those that answered (yes or no);
    the unknown ones are left out of the denominator and counted apart (-> Measure). For a
    person question the households behind its base are summed too."""
    return Measure(
        code,
        question,
        question + KNOWN,
        SHARE,
        unit,
        base_unit=base_unit,
        base_households=question + HOUSEHOLDS if base_unit != "households" else None,
        unknown=question + UNKNOWN if can_be_unknown else None,
    )


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
                    "base_unit": measure.base_unit,
                    "base_households": sums[measure.households_column].astype(float),
                    "unknown": (
                        sums[measure.unknown].astype(float)
                        if measure.unknown is not None
                        else np.nan
                    ),
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


Indicator = Callable[[pd.DataFrame], pd.Series] | Question


def indicator_columns(
    frame: pd.DataFrame, indicators: dict[str, Indicator]
) -> dict[str, pd.Series]:
    """The per-row columns of the indicators: a count (a function of the rows) as it is, a
    Question as its yes / known / unknown columns (question_sums)."""
    columns: dict[str, pd.Series] = {}
    for name, indicator in indicators.items():
        if isinstance(indicator, Question):
            columns.update(question_sums(name, indicator, frame))
        else:
            columns[name] = indicator(frame).astype(float)
    return columns


def households_by_desil(extract: Extract, indicators: dict[str, Indicator]) -> pd.DataFrame:
    """Target-desil BDT households with the columns of each indicator and `households` = 1."""
    households = in_target_desil(extract.households)
    columns = {"households": pd.Series(1.0, index=households.index)}
    columns.update(indicator_columns(households, indicators))
    return households[["region_code", "desil"]].assign(**columns)


def household_cells(
    extract: Extract, indicators: dict[str, Indicator], measures: Sequence[Measure]
) -> pd.DataFrame:
    frame = households_by_desil(extract, indicators)
    sums = sums_by_cell(
        frame,
        [column for column in frame.columns if column not in ("region_code", "desil")],
        list(extract.regions["region_code"]),
        desil_codes(extract),
    )
    return measure_cells(sums, measures, extract)


def member_cells(extract: Extract, measures: Sequence[Measure]) -> pd.DataFrame:
    """Cells of the person questions (warehouse.MEMBER_QUESTIONS), from their sums per region
    and desil (yes, known, unknown, households behind the known)."""
    members = in_target_desil(extract.members)
    columns = [column for column in members.columns if column not in ("region_code", "desil")]
    sums = sums_by_cell(
        members, columns, list(extract.regions["region_code"]), desil_codes(extract)
    )
    return measure_cells(sums, measures, extract)


def equals(series: pd.Series, *codes: int) -> pd.Series:
    """1 where the value is one of `codes`, 0 where it is another (unknown counts as 'no': for
    counts and populations; a Question's answer uses answer_in)."""
    return series.isin(codes).fillna(False).astype(float)


def answer_in(series: pd.Series, *codes: int) -> pd.Series:
    """A Question's answer: 1 where the code is one of `codes`, 0 where it is another known
    code, NaN where it is unknown."""
    known = series.notna()
    return series.isin(codes).astype(float).where(known.to_numpy(dtype=bool))


def answer_true(series: pd.Series) -> pd.Series:
    """A Question's answer from a nullable boolean: 1, 0 or NaN."""
    return series.astype("boolean").astype("Float64").astype(float)
