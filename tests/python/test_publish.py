"""The publication (python -m scripts.publish): disclosure control on hand-made tables, every
table's numbers against an independent computation from the raw files, the privacy of every
output, the FKP Berita Acara against the raw FKP rows, and the exploration notebook."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from scripts.contract import PROJECT_DIR
from scripts.publish.__main__ import main
from scripts.publish.model import CELL_COLUMNS, Label, Table
from scripts.publish.pipeline import Publication, publish
from scripts.publish.suppression import (
    lone_suppressions,
    primary_mask,
    protected,
    protected_mask,
    secondary_mask,
)
from tests.python.warehouse import (
    PLACEHOLDERS,
    REFERENCE_DIR,
    Warehouse,
    normalised_name,
    raw_person_names,
)

K = 5
SMALL_BASE = 30  # the documented default of --small-base
REFERENCE_DATE = dt.date(2015, 7, 1)
NIK_LIKE = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
HEX_KEY = re.compile(
    r"(?<![0-9a-fA-F])([0-9a-fA-F]{32}|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})"
    r"(?![0-9a-fA-F])"
)
NOTEBOOK = PROJECT_DIR / "notebooks" / "explore_marts.ipynb"


# -- disclosure control on hand-made tables -----------------------------------------------------


def matrix(rows: list[list[float]], columns: list[str] | None = None) -> pd.DataFrame:
    """A region x desil table with its total row and total column appended."""
    columns = columns or [f"d{i + 1}" for i in range(len(rows[0]))]
    frame = pd.DataFrame(rows, columns=columns, index=[f"r{i + 1}" for i in range(len(rows))])
    frame["total"] = frame.sum(axis=1)
    frame.loc["total"] = frame.sum(axis=0)
    return frame.astype(float)


def suppressed_cells(mask: pd.DataFrame) -> set[tuple[str, str]]:
    return {(row, column) for row in mask.index for column in mask.columns if mask.at[row, column]}


def test_primary_suppression_hides_counts_below_k_and_values_from_few_units() -> None:
    values = matrix([[3, 10], [0, 7], [8, 9]])
    assert suppressed_cells(primary_mask(values, K)) == {("r1", "d1"), ("r2", "d1")}
    bases = values.copy()
    bases.loc["r2", "d2"] = 4  # e.g. 7 individuals from 4 households
    assert ("r2", "d2") in suppressed_cells(primary_mask(values, K, bases))
    missing = values.copy()
    missing.loc["r1", "d1"] = np.nan  # not available is not suppressed
    assert ("r1", "d1") not in suppressed_cells(primary_mask(missing, K))


def test_a_single_small_cell_takes_the_smallest_neighbour_of_its_row_and_column() -> None:
    values = matrix([[3, 20, 30], [40, 8, 50], [60, 70, 9]])
    # Row r1 takes d2 (20 < 30), column d1 takes r2 (40 < 60); r2 then holds d1 alone and
    # takes d2 (8), which gives column d2 its second cell.
    mask = protected_mask(values, K)
    assert suppressed_cells(mask) == {("r1", "d1"), ("r1", "d2"), ("r2", "d1"), ("r2", "d2")}
    assert not lone_suppressions(mask)


def test_a_small_cell_in_a_column_and_a_chain_that_needs_a_second_pass() -> None:
    values = matrix([[50, 60, 70], [40, 2, 90], [80, 30, 100]])
    # Pass 1: row r2 takes d1 (40); column d1 then takes r1 (50), column d2 takes r3 (30).
    # Pass 2: rows r1 and r3 each hold one cell: r1 takes d2 (60), r3 takes d1 (80).
    mask = protected_mask(values, K)
    assert suppressed_cells(mask) == {
        ("r1", "d1"),
        ("r1", "d2"),
        ("r2", "d1"),
        ("r2", "d2"),
        ("r3", "d1"),
        ("r3", "d2"),
    }
    assert not lone_suppressions(mask)
    assert not mask["total"].any() and not mask.loc["total"].any()


def test_chains_reach_far_cells() -> None:
    values = matrix([[1, 6, 90, 95], [7, 80, 8, 85], [60, 70, 75, 9]])
    mask = secondary_mask(values, primary_mask(values, K))
    assert not lone_suppressions(mask)
    assert suppressed_cells(mask) == {
        ("r1", "d1"),
        ("r1", "d2"),
        ("r2", "d1"),
        ("r2", "d3"),
        ("r2", "d4"),
        ("r3", "d2"),
        ("r3", "d3"),
        ("r3", "d4"),
    }


def test_totals_below_k_are_suppressed_and_protected_too() -> None:
    values = matrix([[1, 2], [20, 30]])  # r1 total 3 < k
    mask = protected_mask(values, K)
    # r1 is all small; each of its columns (the total column too) then takes r2's cell, the
    # smallest other one, and the grand total row stays.
    assert suppressed_cells(mask) == {(row, column) for row in ("r1", "r2") for column in mask}
    assert not lone_suppressions(mask)


def test_linked_cells_are_suppressed_together_and_row_groups_are_separate_relations() -> None:
    values = pd.DataFrame(
        {
            "hh|1": [3.0, 50, 53],
            "hh|t": [40, 60, 100],
            "ind|1": [12, 200, 212],
            "ind|t": [150, 250, 400],
        },
        index=["r1", "r2", "total"],
    )
    mask = protected_mask(
        values,
        K,
        row_groups=[["hh|1", "hh|t"], ["ind|1", "ind|t"]],
        linked=[["hh|1", "ind|1"], ["hh|t", "ind|t"]],
    )
    # r1's 3 households hide their 12 individuals; each relation then needs a second cell.
    assert suppressed_cells(mask) == {(row, column) for row in ("r1", "r2") for column in mask}
    assert not lone_suppressions(mask, row_groups=[["hh|1", "hh|t"], ["ind|1", "ind|t"]])


def hand_made_table(name: str, values: dict[tuple[str, str, str], float], **layout) -> Table:
    """A Table of count cells {(region, measure, desil): value} for protected()."""
    cells = pd.DataFrame(
        [
            (
                "kecamatan",
                region,
                region,
                desil,
                measure,
                value,
                "households",
                value,
                "count",
                "households",
                value,
                np.nan,
            )
            for (region, measure, desil), value in values.items()
        ],
        columns=CELL_COLUMNS,
    )
    return Table(1, name, Label(name, name), cells, (), **layout)


def counts(
    rows: dict[str, list[float]], keys: list[tuple[str, str]], total: tuple[str, str]
) -> dict[tuple[str, str, str], float]:
    """Count cells {(region, measure, desil): value} of rows over `keys`, with the row total
    under `total` and the total row."""
    values: dict[tuple[str, str, str], float] = {}
    for region, numbers in rows.items():
        values.update({(region, *key): n for key, n in zip(keys, numbers, strict=True)})
        values[(region, *total)] = sum(numbers)
    for key in [*keys, total]:
        values[("total", *key)] = sum(values[(region, *key)] for region in rows)
    return values


def test_tables_sharing_cells_are_protected_together() -> None:
    """Table 1's desil-1 households are table 10's total column: a cell suppressed in one must
    be suppressed in the other, and the other table's row must then hide a second cell."""
    households = counts(
        {"r1": [30, 2], "r2": [50, 60], "r3": [70, 80]},
        [("households", "1"), ("households", "2")],
        ("households", "total"),
    )
    groups = counts(
        {"r1": [10, 20], "r2": [20, 30], "r3": [30, 40]},
        [("p1", "1"), ("p2", "1")],
        ("households", "1"),  # the same cells as table 1's desil 1
    )
    first = hand_made_table(
        "households",
        households,
        row_relations=(("households|1", "households|2", "households|total"),),
    )
    second = hand_made_table(
        "priority",
        groups,
        row_relations=(("p1|1", "p2|1", "households|1"),),
    )
    flagged = {
        table.name: {
            (region, measure, desil)
            for region, measure, desil, flag in table.cells[
                ["region_code", "measure", "desil", "suppressed"]
            ].itertuples(index=False)
            if flag
        }
        for table in protected([first, second], K)
    }
    # Table 1: r1/2 is small; r1/1 is its row's smallest; column 2 takes r2, column 1 takes r2.
    assert flagged["households"] == {
        ("r1", "households", "1"),
        ("r1", "households", "2"),
        ("r2", "households", "1"),
        ("r2", "households", "2"),
    }
    # Table 10 hides the same desil-1 cells and, in each of their rows, its smallest group.
    assert flagged["priority"] == {
        ("r1", "households", "1"),
        ("r2", "households", "1"),
        ("r1", "p1", "1"),
        ("r2", "p1", "1"),
    }


def test_a_share_needs_k_units_and_k_households_behind_them_and_small_bases_are_flagged() -> None:
    """The one rule for computed values: suppressed below k units of its base or below k
    households behind them (5 boys of 4 households), flagged under the small-base threshold."""
    shares = {  # region -> (value, base persons, households behind)
        "few_persons": (50.0, 4, 4),
        "few_households": (40.0, 5, 4),
        "small": (60.0, 12, 9),
        "enough": (70.0, 30, 22),
    }
    cells = pd.DataFrame(
        [
            ("kecamatan", region, region, "1", "in_school", value, "percent", base, "share",
             "persons", households, 0.0)
            for region, (value, base, households) in shares.items()
        ],
        columns=CELL_COLUMNS,
    )  # fmt: skip
    (table,) = protected([Table(3, "education", Label("e", "e"), cells, ())], K, small_base=30)
    outcome = {
        region: (bool(suppressed), flag)
        for region, suppressed, flag in table.cells[
            ["region_code", "suppressed", "flag"]
        ].itertuples(index=False)
    }
    assert outcome == {
        "few_persons": (True, ""),
        "few_households": (True, ""),
        "small": (False, "small_base"),
        "enough": (False, ""),
    }


@pytest.mark.parametrize("seed", range(12))
def test_no_line_ever_holds_exactly_one_suppressed_cell(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns = rng.integers(2, 9), rng.integers(2, 6)
    counts = rng.choice([0, 1, 2, 3, 4, 5, 8, 13, 40, 120], size=(rows, columns))
    values = matrix(counts.tolist())
    mask = protected_mask(values, K)
    assert not lone_suppressions(mask)
    assert (mask | ~primary_mask(values, K)).all(axis=None)  # every small cell is hidden
    for label, line in [*mask.iterrows(), *mask.items()]:
        assert int(line.sum()) != 1, label


# -- the independent computation from the raw files ---------------------------------------------


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip(" \t\r\n")
    return None if value.upper() in PLACEHOLDERS else value


def read_raw(raw_dir: Path, prefix: str) -> pd.DataFrame:
    """Every row of the raw CSVs named prefix*, cleaned, headers lower case, in file order,
    with the file and the line of each row (header = line 1)."""
    rows = []
    for path in sorted(raw_dir.glob(f"{prefix}*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader)]
            for line, record in enumerate(reader, start=2):
                row = {name: clean(value) for name, value in zip(header, record, strict=True)}
                rows.append({**row, "_file": path.name, "_line": line})
    return pd.DataFrame(rows)


def codelist() -> dict[str, set[int]]:
    lists: dict[str, set[int]] = {}
    with (PROJECT_DIR / "seeds" / "bdt_codelists.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["variable"], set()).add(int(row["code"]))
    return lists


CODES = codelist()


def number(series: pd.Series) -> pd.Series:
    """Whole numbers ('3' or '3.0'), else NaN."""
    text = series.where(series.str.fullmatch(r"[+-]?[0-9]{1,9}(\.0+)?", na=False))
    return pd.to_numeric(text, errors="coerce")


def code(frame: pd.DataFrame, column: str) -> pd.Series:
    """A coded column: the code when it is in its code list, else NaN."""
    values = number(frame[column])
    return values.where(values.isin(CODES[column]))


def padded(series: pd.Series, width: int) -> pd.Series:
    return series.where(series.str.fullmatch(r"[0-9]+", na=False)).str.zfill(width)


def village_code(frame: pd.DataFrame) -> pd.Series:
    return (
        padded(frame["kdprop"], 2)
        + padded(frame["kdkab"], 2)
        + padded(frame["kdkec"], 3)
        + padded(frame["kddesa"], 3)
    )


def age_at_reference(umur: pd.Series, birth: pd.Series) -> pd.Series:
    def from_birth(text: str | None) -> float:
        try:
            born = dt.date.fromisoformat(text or "")
        except ValueError:
            return np.nan
        before = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day)
        return REFERENCE_DATE.year - born.year - before

    return number(umur).fillna(birth.map(from_birth))


def known_nik_prefixes() -> set[str]:
    prefixes: set[str] = set()
    for path in (REFERENCE_DIR / "kemendagri").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if re.fullmatch(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", row["kode"]):
                    prefixes.add(row["kode"].replace(".", ""))
    return prefixes


def valid_nik(nik: str | None, prefixes: set[str]) -> bool:
    if not nik or not re.fullmatch(r"[0-9]{16}", nik) or nik[12:] == "0000":
        return False
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day -= 40 if day > 40 else 0
    year = 2000 + yy
    if (year, month, day) > (REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day):
        year -= 100
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return nik[:6] in prefixes


@dataclass
class RawRegistry:
    """The registry recomputed from the raw files with the documented rules."""

    raw_dir: Path

    @cached_property
    def household_rows(self) -> pd.DataFrame:
        """The household rows that pass the quarantine: an IDBDT, its first row, a known desa."""
        raw = read_raw(self.raw_dir, "bdt_rt")
        raw = raw[raw["idbdt"].notna()].drop_duplicates("idbdt")
        raw = raw.assign(village=village_code(raw))
        with (PROJECT_DIR / "seeds" / "bps_regions_tanjungbalai.csv").open() as handle:
            villages = {r["bps_code"] for r in csv.DictReader(handle) if r["level"] == "desa"}
        return raw[raw["village"].isin(villages)]

    @cached_property
    def households(self) -> pd.DataFrame:
        """The household rows with desil, composition, head and programs."""
        raw = self.household_rows.copy()
        percentile = number(raw["percentile"])
        raw["desil"] = np.where(percentile.between(1, 40), ((percentile - 1) // 10 + 1), np.nan)
        raw["kecamatan"] = raw["village"].str[:7]
        members = self.members
        by_household = members.groupby("idbdt")
        composition = pd.DataFrame(
            {
                "member_count": by_household.size(),
                "family_count": by_household["nuk"].nunique(),
                "dependents": by_household["dependent"].sum(),
                "working_age": by_household["working_age"].sum(),
                "disabled": by_household["disabled"].sum(),
                "ill": by_household["ill"].sum(),
                "health_unknown": by_household["health_unknown"].sum(),
                "spouse_working": by_household["spouse_working"].sum(),
                "other_working": by_household["other_working"].sum(),
                "member_pbi": by_household["pbi"].sum(),
                "member_kip": by_household["kip"].sum(),
            }
        )
        heads = members[members["hub_krt"] == 1].drop_duplicates("idbdt").set_index("idbdt")
        raw = raw.join(composition, on="idbdt").join(
            heads[["sex", "age", "diploma", "worked", "sector"]].add_prefix("head_"), on="idbdt"
        )
        for column in composition.columns:
            raw[column] = raw[column].fillna(0)
        raw["priority_group"] = 1 + (raw["other_working"] > 0) + (raw["spouse_working"] > 0)
        raw["reported_members"] = number(raw["jumlah_art"]).fillna(0)
        floor = pd.to_numeric(raw["luas_lantai"].str.replace(",", "."), errors="coerce")
        raw["area_per_person"] = floor / raw["member_count"].where(raw["member_count"] > 0)
        yes = {
            name: code(raw, name) == 1
            for name in (
                "sta_pkh",
                "adapkh",
                "sta_kks",
                "adakks2016",
                "adakks2017",
                "sta_kis",
                "adapbi",
                "sta_kip",
                "sta_rastra",
                "adabpnt",
            )
        }
        matched = set(self.pkh_families["matched"].dropna())
        raw["pkh"] = yes["sta_pkh"] | yes["adapkh"] | raw["idbdt"].isin(matched)
        raw["kks"] = yes["sta_kks"] | yes["adakks2016"] | yes["adakks2017"]
        raw["kis_pbi"] = yes["sta_kis"] | yes["adapbi"] | (raw["member_pbi"] > 0)
        raw["kip"] = yes["sta_kip"] | (raw["member_kip"] > 0)
        raw["rastra_bpnt"] = yes["sta_rastra"] | yes["adabpnt"]
        return raw

    @cached_property
    def members(self) -> pd.DataFrame:
        raw = read_raw(self.raw_dir, "bdt_art")
        with (self.raw_dir / "manifest_defects.csv").open(encoding="utf-8") as handle:
            duplicates = {
                (row["file"], int(row["line"]), row["key"])
                for row in csv.DictReader(handle)
                if row["kind"].startswith("nik_duplicate")
            }
        raw = raw[raw["idbdt"].isin(self.household_rows["idbdt"])]  # orphans out
        where = set(zip(raw["_file"], raw["_line"], raw["idartbdt"], strict=True))
        assert duplicates <= where, "manifest lines do not name the duplicate rows"
        raw = raw[
            [
                (file, line, key) not in duplicates
                for file, line, key in zip(raw["_file"], raw["_line"], raw["idartbdt"], strict=True)
            ]
        ].copy()
        raw["hub_krt"] = code(raw, "hub_krt")
        raw["sex"] = code(raw, "jnskel")
        raw["age"] = age_at_reference(raw["umur"], raw["tgllahir"])
        raw["worked"] = code(raw, "sta_bekerja")
        raw["sector"] = code(raw, "lapangan_usaha")
        participation = code(raw, "partisipasi_sekolah")
        # never attended school: the diploma question is skipped, the answer is "none"
        raw["diploma"] = code(raw, "ijazah_tertinggi").mask(participation == 0, 0)
        raw["participation"] = participation
        raw["nuk"] = number(raw["nuk"])
        raw["dependent"] = (raw["age"] < 15) | (raw["age"] >= 65)
        raw["working_age"] = raw["age"].between(15, 64)
        raw["disabled"] = code(raw, "jenis_cacat") > 0
        raw["ill"] = code(raw, "penyakit_kronis") > 0
        raw["health_unknown"] = (
            code(raw, "jenis_cacat").isna() | code(raw, "penyakit_kronis").isna()
        )
        works = raw["worked"] == 1
        raw["spouse_working"] = (raw["hub_krt"] == 2) & works
        raw["other_working"] = raw["hub_krt"].notna() & ~raw["hub_krt"].isin([1, 2]) & works
        raw["pbi"] = code(raw, "ada_pbi") == 1
        raw["kip"] = code(raw, "ada_kip") == 1
        return raw

    @cached_property
    def pkh_families(self) -> pd.DataFrame:
        """One row per IDPKH: the BDT household it matches (by IDBDT, else by the recipient's
        valid NIK) or none, and its village (from its latest row)."""
        rows = read_raw(self.raw_dir, "pkh")
        rows = rows.assign(
            stage=number(rows["tahun"]) * 4 + number(rows["tahap"]),
            village=village_code(rows),
        )
        rows = rows.sort_values(
            ["idpkh", "village", "stage", "_file", "_line"],
            ascending=[True, True, False, True, True],
            na_position="last",
            key=lambda column: column.isna() if column.name == "village" else column,
        )
        latest = rows.drop_duplicates("idpkh").set_index("idpkh")
        ids = set(self.household_rows["idbdt"])
        prefixes = known_nik_prefixes()
        members = self.members
        by_nik = {
            nik: household
            for nik, household in zip(members["nik"], members["idbdt"], strict=True)
            if valid_nik(nik, prefixes)
        }
        by_id = latest["idbdt"].where(latest["idbdt"].isin(ids))
        by_recipient = latest["nik_penerima"].map(by_nik)
        return pd.DataFrame(
            {
                "matched": by_id.fillna(by_recipient),
                "method": np.where(
                    by_id.notna(), "IDBDT", np.where(by_recipient.notna(), "NIK", "")
                ),
                "village": latest["village"],
            }
        )


def margins(frame: pd.DataFrame, columns: list[str], by_desil: bool = True) -> pd.DataFrame:
    """Sums of columns per kecamatan (x desil) with the 'total' margins."""
    frame = frame.assign(**{column: frame[column].astype(float) for column in columns})
    if by_desil:
        frame = frame.assign(desil=frame["desil"].astype(int).astype(str))
    keys = (
        [("kecamatan", "desil"), ("kecamatan",), ("desil",), ()]
        if by_desil
        else [("kecamatan",), ()]
    )
    parts = []
    for group in keys:
        sums = (
            frame.groupby(list(group))[columns].sum().reset_index()
            if group
            else frame[columns].sum().to_frame().T
        )
        for key in ("kecamatan", "desil") if by_desil else ("kecamatan",):
            if key not in group:
                sums[key] = "total"
        parts.append(sums)
    index = ["kecamatan", "desil"] if by_desil else ["kecamatan"]
    return pd.concat(parts, ignore_index=True).set_index(index)


def expected_values(sums: pd.DataFrame, measures: dict[str, tuple]) -> pd.DataFrame:
    """measure -> (numerator, denominator or None, scale): a long frame of expected values and
    the bases (denominators, or counts)."""
    frames = []
    for measure, (numerator, denominator, scale) in measures.items():
        base = sums[denominator] if denominator else sums[numerator]
        value = sums[numerator] / base.where(base > 0) * scale if denominator else sums[numerator]
        frames.append(
            pd.DataFrame(
                {"measure": measure, "value": value, "base": base, "base_households": base}
            )
        )
    return pd.concat(frames).reset_index()


def answered(frame: pd.DataFrame, name: str, answer: pd.Series, asked=True) -> pd.DataFrame:
    """The frame with the columns of a yes/no question: `name` (yes), `name_known` (answered)
    and `name_unknown` (asked, not answered), over the rows where it is `asked`."""
    asked = pd.Series(asked, index=frame.index).fillna(False).astype(bool)
    return frame.assign(
        **{
            name: asked & (answer == 1),
            f"{name}_known": asked & answer.notna(),
            f"{name}_unknown": asked & answer.isna(),
        }
    )


def expected_shares(
    sums: pd.DataFrame, questions: dict[str, str], households: bool = True
) -> pd.DataFrame:
    """measure -> question: the share of yes among the known, its base (the known), the
    unknown, and the households behind the base (the base itself for household questions,
    else the sum of `<question>_households`)."""
    frames = []
    for measure, question in questions.items():
        known = sums[f"{question}_known"]
        frames.append(
            pd.DataFrame(
                {
                    "measure": measure,
                    "value": sums[question] / known.where(known > 0) * 100,
                    "base": known,
                    "unknown": sums.get(f"{question}_unknown", np.nan),
                    "base_households": known if households else sums[f"{question}_households"],
                }
            )
        )
    return pd.concat(frames).reset_index()


def question_columns(questions: Iterable[str]) -> list[str]:
    """The columns `answered` makes for each question."""
    return [f"{q}{suffix}" for q in questions for suffix in ("", "_known", "_unknown")]


def member_question_sums(members: pd.DataFrame, questions: list[str]) -> pd.DataFrame:
    """Sums by kecamatan x desil of person questions (columns made by `answered`), with the
    households having at least one member who answered each."""
    columns = question_columns(questions)
    per_household = members.groupby(["idbdt", "kecamatan", "desil"])[columns].sum().reset_index()
    for question in questions:
        per_household[f"{question}_households"] = per_household[f"{question}_known"] > 0
    return margins(per_household, [*columns, *(f"{q}_households" for q in questions)])


@pytest.fixture(scope="module")
def registry(generated_for_publication: Path) -> RawRegistry:
    return RawRegistry(generated_for_publication)


def table_cells(publication: Publication, name: str) -> pd.DataFrame:
    (table,) = [table for table in publication.tables if table.name == name]
    return table.cells.rename(columns={"region_code": "kecamatan"})


def published_csv(out_dir: Path, slug: str) -> pd.DataFrame:
    return pd.read_csv(
        out_dir / "tables" / f"{slug}.csv",
        dtype={"region_code": str, "desil": str},
        keep_default_na=False,
        na_values={"value": [""], "base": [""], "unknown": [""]},
    )


def check_against(
    publication: Publication,
    out_dir: Path,
    name: str,
    expected: pd.DataFrame,
    keys: tuple[str, ...] = ("kecamatan", "desil", "measure"),
) -> int:
    """The table's values equal the expected ones (unrounded), its published CSV equals them
    rounded where not suppressed, and every expected small cell is suppressed. Returns the
    number of cells compared."""
    cells = table_cells(publication, name)
    merged = expected.merge(cells, on=list(keys), how="left", suffixes=("", "_table"))
    missing = merged[merged["kind"].isna()]
    assert missing.empty, f"{name}: cells missing from the table:\n{missing.head()}"
    computed_values = merged["kind"] != "count"  # a count's base is the count or its households
    for column in ("value", "base", "unknown", "base_households"):
        if column not in expected:
            continue
        rows = merged if column == "value" else merged[computed_values]
        close = np.isclose(
            rows[column].astype(float),
            rows[f"{column}_table"].astype(float),
            rtol=0,
            atol=1e-9,
            equal_nan=True,
        )
        assert close.all(), f"{name}: {column} differs:\n{rows[~close].head(10)}"
    # The published CSV: rounded values where not suppressed; small cells suppressed.
    (slug,) = {table.slug for table in publication.tables if table.name == name}
    csv_cells = published_csv(out_dir, slug).rename(columns={"region_code": "kecamatan"})
    merged = merged.merge(csv_cells, on=list(keys), suffixes=("", "_csv"))
    shown = merged[merged["suppressed"] != True]  # noqa: E712 (CSV booleans)
    decimals = np.where(shown["kind"] == "count", 0, 1)
    for value, published, places in zip(shown["value"], shown["value_csv"], decimals, strict=True):
        if pd.isna(value):
            assert pd.isna(published)
        else:
            assert published == pytest.approx(round(value, int(places)), abs=1e-9)
    behind = merged["base_households"] if "base_households" in expected else merged["base"]
    small = merged[
        (merged["kind"] != "reference")
        & merged["value"].notna()
        & (
            (merged["base"] < K)
            | (behind < K)
            | ((merged["kind"] == "count") & (merged["value"] < K))
        )
    ]
    assert small["suppressed_csv"].all(), f"{name}: small cells shown:\n{small.head()}"
    assert small["value_csv"].isna().all()
    computed = merged[(merged["kind"] != "count") & (merged["suppressed_csv"] != True)]  # noqa: E712
    assert np.isclose(computed["base_csv"], computed["base"], equal_nan=True).all()
    flagged = (computed["base"] < SMALL_BASE) & computed["value"].notna()
    assert (computed["flag_csv"].fillna("") == np.where(flagged, "small_base", "")).all()
    return len(merged)


# -- every table against the raw files ----------------------------------------------------------


def target(registry: RawRegistry) -> pd.DataFrame:
    return registry.households[registry.households["desil"].notna()]


def test_table_1_households_and_individuals(registry, publication, out_dir) -> None:
    households = target(registry).assign(households=1.0)
    sums = margins(households, ["households", "member_count", "reported_members"])
    expected = expected_values(
        sums,
        {
            "households": ("households", None, 1),
            "individuals": ("member_count", None, 1),
            "reported_members": ("reported_members", None, 1),
        },
    )
    assert check_against(publication, out_dir, "households", expected) == 3 * 7 * 5
    # Individuals are computed from the households: their base is the household count.
    cells = table_cells(publication, "households")
    individuals = cells[cells["measure"] == "individuals"].set_index(["kecamatan", "desil"])
    assert (individuals["base"] == sums["households"].reindex(individuals.index)).all()
    # the dirty set makes the two differ
    assert (
        sums.loc[("total", "total"), "member_count"]
        != sums.loc[("total", "total"), "reported_members"]
    )


def test_table_2_demography(registry, publication, out_dir) -> None:
    households = target(registry).assign(households=1.0)
    sex, age = households["head_sex"], households["head_age"]
    any_member = (households["disabled"] > 0) | (households["ill"] > 0)
    health = any_member.astype(float).where(any_member | (households["health_unknown"] == 0))
    households = answered(households, "female", (sex == 2).astype(float).where(sex.notna()))
    households = answered(households, "elderly", (age >= 60).astype(float).where(age.notna()))
    households = answered(households, "disabled_or_ill", health)
    questions = ["female", "elderly", "disabled_or_ill"]
    columns = question_columns(questions)
    sums = margins(
        households, ["households", "member_count", "dependents", "working_age", *columns]
    )
    expected = expected_values(
        sums,
        {
            "mean_household_size": ("member_count", "households", 1),
            "dependency_ratio": ("dependents", "working_age", 100),
        },
    )
    ratio = expected["measure"] == "dependency_ratio"
    households_of_cell = (
        sums["households"]
        .reindex(pd.MultiIndex.from_frame(expected.loc[ratio, ["kecamatan", "desil"]]))
        .to_numpy()
    )
    for column in ("base", "base_households"):
        expected.loc[ratio, column] = households_of_cell
    shares = expected_shares(
        sums,
        {
            "female_headed": "female",
            "elderly_headed": "elderly",
            "disabled_or_ill_member": "disabled_or_ill",
        },
    )
    check_against(publication, out_dir, "demography", pd.concat([expected, shares]))
    assert shares["unknown"].sum() > 0, "the test set should have unknown answers"


def members_of_target(registry: RawRegistry) -> pd.DataFrame:
    households = target(registry).set_index("idbdt")
    members = registry.members[registry.members["idbdt"].isin(households.index)]
    return members.assign(
        desil=members["idbdt"].map(households["desil"]),
        kecamatan=members["idbdt"].map(households["kecamatan"]),
    )


def test_table_3_education(registry, publication, out_dir) -> None:
    members = members_of_target(registry)
    questions = {}
    for low, high in ((7, 12), (13, 15), (16, 18)):
        for sex, codes in (("male", [1]), ("female", [2]), ("all", None)):
            name = f"{low}_{high}_{sex}"
            group = members["age"].between(low, high)
            if codes:
                group &= members["sex"].isin(codes)
            participation = members["participation"]
            in_school = (participation == 1).astype(float).where(participation.notna())
            members = answered(members, f"s_{name}", in_school, group)
            questions[f"in_school_{name}"] = f"s_{name}"
    children = expected_shares(
        member_question_sums(members, list(questions.values())), questions, households=False
    )
    households = target(registry).assign(households=1.0)
    diploma = households["head_diploma"]
    households = answered(households, "none", (diploma == 0).astype(float).where(diploma.notna()))
    heads = expected_shares(
        margins(households, ["none", "none_known", "none_unknown"]), {"head_no_diploma": "none"}
    )
    expected = pd.concat([children, heads], ignore_index=True)
    check_against(publication, out_dir, "education", expected)
    assert (children["base"] < K).any(), "the test set should exercise share suppression"
    # persons enough but households too few: the households behind the base decide
    assert ((children["base"] >= K) & (children["base_households"] < K)).any()


def test_table_4_work(registry, publication, out_dir) -> None:
    households = target(registry)
    worked, sector = households["head_worked"], households["head_sector"]
    households = answered(households, "working", (worked == 1).astype(float).where(worked.notna()))
    sectors = {"agriculture": (1, 7), "industry": (8, 11), "services": (12, 21)}
    for name, (low, high) in sectors.items():
        in_sector = sector.between(low, high).astype(float).where(sector.notna())
        households = answered(households, name, in_sector, worked == 1)
    questions = ["working", *sectors]
    heads = expected_shares(
        margins(households, question_columns(questions)),
        {"head_working": "working", **{f"head_sector_{name}": name for name in sectors}},
    )
    members = members_of_target(registry)
    child_worked = members["worked"]
    members = answered(
        members,
        "working",
        (child_worked == 1).astype(float).where(child_worked.notna()),
        members["age"].between(10, 17),
    )
    children = expected_shares(
        member_question_sums(members, ["working"]),
        {"children_10_17_working": "working"},
        households=False,
    )
    check_against(publication, out_dir, "work", pd.concat([heads, children], ignore_index=True))


def test_table_5_housing(registry, publication, out_dir) -> None:
    households = target(registry)
    codes = {
        name: code(households, name)
        for name in (
            "lantai",
            "dinding",
            "sumber_penerangan",
            "sumber_airminum",
            "fasbab",
            "bb_masak",
        )
    }
    answers = {
        "earth_floor": (codes["lantai"], [9]),
        "bamboo_or_wood_walls": (codes["dinding"], [3, 4, 5, 6]),
        "no_pln_electricity": (codes["sumber_penerangan"], [2, 3]),
        "unimproved_water": (codes["sumber_airminum"], [7, 9, 10, 11, 12]),
        "no_own_toilet": (codes["fasbab"], [2, 3, 4]),
        "firewood_cooking": (codes["bb_masak"], [8]),
    }
    for name, (values, yes) in answers.items():
        households = answered(
            households, name, values.isin(yes).astype(float).where(values.notna())
        )
    area = households["area_per_person"]
    households = answered(
        households, "crowded_floor_area", (area < 8).astype(float).where(area.notna())
    )
    names = [*answers, "crowded_floor_area"]
    expected = expected_shares(
        margins(households, question_columns(names)),
        {name: name for name in names},
    )
    check_against(publication, out_dir, "housing", expected)
    assert expected["unknown"].sum() > 0, "the test set should have unknown answers"


def test_table_6_assets(registry, publication, out_dir) -> None:
    households = target(registry)

    def owned(column: str) -> pd.Series:
        values = code(households, column)
        return (values == 1).astype(float).where(values.notna())

    animals = np.column_stack(
        [number(households[f"jumlah_{a}"]) for a in ("sapi", "kerbau", "kuda", "babi", "kambing")]
    )
    any_animal = (animals > 0).any(axis=1)
    all_known = ~np.isnan(animals).any(axis=1)
    answers = {
        "owns_refrigerator": owned("ada_lemari_es"),
        "owns_motorcycle": owned("ada_motor"),
        "owns_gas_cylinder": owned("ada_tabung_gas"),
        "owns_television": owned("ada_tv"),
        "owns_mobile_phone": owned("ada_hp"),
        "owns_land": owned("aset_tak_bergerak"),
        "owns_livestock": pd.Series(
            np.where(any_animal, 1.0, np.where(all_known, 0.0, np.nan)), index=households.index
        ),
    }
    for name, answer in answers.items():
        households = answered(households, name, answer)
    expected = expected_shares(
        margins(households, question_columns(answers)),
        {name: name for name in answers},
    )
    check_against(publication, out_dir, "assets", expected)


PROGRAMS = ("pkh", "kks", "kis_pbi", "kip", "rastra_bpnt")


def test_table_7_program_receipt_coverage_and_leakage(registry, publication, out_dir) -> None:
    households = target(registry).assign(households=1.0)
    receipt = expected_values(
        margins(households, ["households", *PROGRAMS]),
        {f"receives_{p}": (p, "households", 100) for p in PROGRAMS},
    )
    desil_1 = households[households["desil"] == 1]
    coverage = expected_values(
        margins(desil_1, ["households", *PROGRAMS], by_desil=False),
        {f"coverage_{p}": (p, "households", 100) for p in PROGRAMS},
    ).assign(desil="1")
    undercoverage = coverage.assign(
        measure=coverage["measure"].str.replace("coverage", "undercoverage"),
        value=100 - coverage["value"],
    )
    bdt = registry.households  # every BDT household, non-desil included
    outside = ~bdt["desil"].isin([1, 2])
    leakage_input = bdt.assign(**{f"out_{p}": bdt[p] & outside for p in PROGRAMS})
    leakage = expected_values(
        margins(leakage_input, [*PROGRAMS, *(f"out_{p}" for p in PROGRAMS)], by_desil=False),
        {f"leakage_bdt_{p}": (f"out_{p}", p, 100) for p in PROGRAMS},
    ).assign(desil="all")
    # PKH outside the BDT: the appended families among every PKH recipient
    families = registry.pkh_families
    non_bdt = families[families["matched"].isna()].assign(
        kecamatan=lambda f: f["village"].str[:7], non_bdt=1.0, recipient=1.0
    )
    recipients = pd.concat(
        [bdt[bdt["pkh"]].assign(non_bdt=0.0, recipient=1.0), non_bdt], ignore_index=True
    )
    outside_bdt = expected_values(
        margins(recipients, ["non_bdt", "recipient"], by_desil=False),
        {"leakage_non_bdt_pkh": ("non_bdt", "recipient", 100)},
    ).assign(desil="all")
    expected = pd.concat(
        [receipt, coverage, undercoverage, leakage, outside_bdt], ignore_index=True
    )
    check_against(publication, out_dir, "programs", expected)
    # The set exercises both ways of matching a PKH family to its BDT household.
    assert {"IDBDT", "NIK"} <= set(registry.pkh_families["method"])


def test_table_8_bdt_individuals_beside_the_poor(registry, publication, out_dir) -> None:
    households = target(registry)
    by_desil = households.groupby(households["desil"].astype(int).astype(str))["member_count"]
    rows = [
        ("1272", desil, "bdt_individuals", float(value), float(count))
        for desil, value, count in zip(
            by_desil.sum().index, by_desil.sum(), by_desil.size(), strict=True
        )
    ]
    total = float(households["member_count"].sum())
    rows += [
        ("1272", "total", "bdt_individuals", total, float(len(households))),
        ("1272", "all", "poor_people", 25090.0, np.nan),
        ("1272", "all", "poverty_rate", 15.08, np.nan),
        ("1272", "all", "poverty_year", 2015.0, np.nan),
        ("1272", "total", "bdt_individuals_per_poor_person", total / 25090, float(len(households))),
        ("00", "all", "poor_people", 27_770_000.0, np.nan),
        ("00", "all", "poverty_rate", 10.64, np.nan),
        ("00", "total", "bdt_individuals", np.nan, 0.0),  # the warehouse is not national
    ]
    expected = pd.DataFrame(rows, columns=["kecamatan", "desil", "measure", "value", "base"])
    cells = table_cells(publication, "bdt_and_poverty")
    merged = expected.merge(cells, on=["kecamatan", "desil", "measure"], suffixes=("", "_t"))
    assert len(merged) == len(expected)
    assert np.isclose(merged["value"], merged["value_t"], atol=1e-9, equal_nan=True).all()
    published = published_csv(out_dir, "08_bdt_and_poverty")
    rate = published[
        (published["region_code"] == "1272") & (published["measure"] == "poverty_rate")
    ]
    assert rate["value"].tolist() == [15.08]


def test_table_9_pkh_non_bdt_families_appended(registry, publication, out_dir) -> None:
    households = registry.households.assign(bdt=1.0)
    families = registry.pkh_families
    non_bdt = families[families["matched"].isna()].assign(
        kecamatan=lambda f: f["village"].str[:7], pkh=1.0
    )
    sums = (
        margins(households, ["bdt", "family_count"], by_desil=False)
        .join(margins(non_bdt, ["pkh"], by_desil=False), how="outer")
        .fillna(0)
    )
    sums["all_households"] = sums["bdt"] + sums["pkh"]
    sums["all_families"] = sums["family_count"] + sums["pkh"]
    expected = expected_values(
        sums,
        {
            "bdt_households": ("bdt", None, 1),
            "bdt_families": ("family_count", None, 1),
            "pkh_non_bdt_families": ("pkh", None, 1),
            "all_households": ("all_households", None, 1),
            "all_families": ("all_families", None, 1),
        },
    ).assign(desil="all")
    facts = json.loads((registry.raw_dir / "manifest.json").read_text(encoding="utf-8"))["facts"]
    assert sums.loc["total", "pkh"] == facts["pkh_families"]["non_bdt"] > 0
    check_against(publication, out_dir, "pkh_non_bdt", expected)


def test_table_10_priority_groups_within_desil_1(registry, publication, out_dir) -> None:
    desil_1 = target(registry)
    desil_1 = desil_1[desil_1["desil"] == 1].assign(
        households=1.0, **{f"g{g}": lambda h, g=g: h["priority_group"] == g for g in (1, 2, 3)}
    )
    expected = expected_values(
        margins(desil_1, ["households", "g1", "g2", "g3"], by_desil=False),
        {
            "households_priority_1": ("g1", None, 1),
            "households_priority_2": ("g2", None, 1),
            "households_priority_3": ("g3", None, 1),
            "households": ("households", None, 1),
        },
    ).assign(desil="1")
    check_against(publication, out_dir, "priority", expected)


def test_count_tables_hold_no_lone_suppression_and_agree_with_each_other(
    publication_warehouse: Warehouse, tmp_path: Path
) -> None:
    """At desa level many cells are small: every additive line of the published count tables
    has 0 or at least 2 suppressed cells, and the cells tables 1 and 10 share agree."""
    result = publish(publication_warehouse.bi_database, tmp_path, level="desa", progress=False)
    cells = {table.name: table.cells for table in result.tables}
    assert sum(int(c["suppressed"].sum()) for c in cells.values()) > 0
    relations = {
        "households": [("households", d) for d in ("1", "2", "3", "4", "total")],
        "priority": [(f"households_priority_{g}", "1") for g in (1, 2, 3)] + [("households", "1")],
        "pkh_non_bdt": [
            ("bdt_households", "all"),
            ("pkh_non_bdt_families", "all"),
            ("all_households", "all"),
        ],
    }
    for name, relation in relations.items():
        table = cells[name]
        flags = table.set_index(["region_code", "measure", "desil"])["suppressed"]
        regions = table["region_code"].unique()
        for region in regions:
            line = [bool(flags[(region, m, d)]) for m, d in relation]
            assert sum(line) != 1, (name, region)
        for measure, desil in relation:
            column = [bool(flags[(region, measure, desil)]) for region in regions]
            assert sum(column) != 1, (name, measure, desil)
        counts = table[(table["kind"] == "count") & ~table["suppressed"]]
        assert (counts["value"] >= K).all()
    shared = ["region_code", "measure", "desil"]
    first = cells["households"].query("measure == 'households' and desil == '1'")[
        [*shared, "suppressed"]
    ]
    second = cells["priority"].query("measure == 'households'")[[*shared, "suppressed"]]
    both = first.merge(second, on=shared)
    assert len(both) == len(first) and (both["suppressed_x"] == both["suppressed_y"]).all()


# -- privacy, Berita Acara, CLI, notebook -------------------------------------------------------


def output_texts(folder: Path) -> dict[Path, str]:
    """The text of every output file: cell values of workbooks, the rest as text."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            workbook = load_workbook(path, read_only=True)
            texts[path] = "\n".join(
                str(value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
            workbook.close()
        elif path.suffix in (".csv", ".html", ".md"):
            texts[path] = path.read_text(encoding="utf-8")
        elif path.suffix in (".duckdb", ".parquet"):  # the public tier
            texts[path] = table_texts(path)
        else:
            assert path.suffix == ".png" or path.is_dir(), f"unexpected output {path}"
    return texts


def table_texts(path: Path) -> str:
    """Every value of every table of a DuckDB database or of a Parquet file, as text (whole
    numbers written out in full)."""
    with duckdb.connect() as connection:
        if path.suffix == ".parquet":
            relations = [f"read_parquet('{path}')"]
        else:
            connection.execute(f"attach '{path}' as public_tier (read_only)")
            relations = [
                f'public_tier."{name}"'
                for (name,) in connection.execute(
                    "select table_name from duckdb_tables() where database_name = 'public_tier'"
                ).fetchall()
            ]
        frames = [connection.execute(f"select * from {relation}").df() for relation in relations]
    return "\n".join(
        str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        for frame in frames
        for column in frame.columns
        for value in frame[column].dropna()
    )


def test_no_output_holds_a_name_nik_or_key(
    generated_for_publication: Path, out_dir: Path, publication_warehouse: Warehouse
) -> None:
    heads = read_raw(generated_for_publication, "bdt_rt")
    pkh = read_raw(generated_for_publication, "pkh")
    names = raw_person_names(generated_for_publication)
    addresses = {normalised_name(value) for value in [*heads["alamat"], *pkh["alamat"]] if value}
    assert len(names) > 1000
    personal = re.compile(
        r"(?<![A-Z])("
        + "|".join(re.escape(n) for n in sorted(names | addresses, key=len, reverse=True))
        + r")(?![A-Z])"
    )
    with publication_warehouse.connect() as connection:
        keys = {
            row[0]
            for row in connection.execute(
                "select cast(household_key as varchar) from marts.dim_household"
            ).fetchall()
        }
    some_name = sorted(names)[len(names) // 2]
    assert personal.search(f"<td>{some_name}</td>"), "the scan would not see a name"
    texts = output_texts(out_dir)
    assert {path.name for path in texts} >= {
        "bdt_tables.xlsx",
        "berita_acara.xlsx",
        "report.html",
        "report.md",
    }
    assert len([p for p in texts if p.parent.name == "berita_acara"]) >= 31
    for path, text in texts.items():
        assert not NIK_LIKE.search(text), f"{path}: a 16-digit NIK-like string"
        assert not HEX_KEY.search(text), f"{path}: a 32-hex key"
        found = personal.search(" ".join(text.upper().split()))
        assert not found, f"{path}: personal data {found.group(0)!r}"
        assert not any(key in text for key in list(keys)[:200])


def fkp_totals(raw_dir: Path) -> dict[str, tuple[int, int]]:
    rows = read_raw(raw_dir, "fkp")
    rows = rows.assign(
        village=village_code(rows),
        prelist=number(rows["jumlah_prelist"]),
        added=number(rows["jumlah_tambahan"]),
    )
    sums = rows.groupby("village")[["prelist", "added"]].sum()
    return {village: (int(p), int(a)) for village, p, a in sums.itertuples()}


def test_berita_acara_totals_equal_the_raw_fkp_rows(
    generated_for_publication: Path, out_dir: Path
) -> None:
    expected = fkp_totals(generated_for_publication)
    assert len(expected) == 31
    workbook = load_workbook(out_dir / "berita_acara.xlsx", read_only=True)
    assert set(workbook.sheetnames) == set(expected)
    for village, (prelist, added) in expected.items():
        rows = list(workbook[village].iter_rows(values_only=True))
        (total,) = [row for row in rows if row[1] == "Total"]
        assert total[2:5] == (prelist, added, prelist + added), village
        codes = [row[4] for row in rows[4:8]]
        assert codes == [village[:2], village[2:4], village[4:7], village[7:]]
        page = (out_dir / "berita_acara" / f"{village}.html").read_text(encoding="utf-8")
        html_total = re.search(r'<tr class="total">(.*?)</tr>', page, re.S).group(1)
        numbers = [
            int(n.replace(".", "")) for n in re.findall(r'class="num">([0-9.]+)<', html_total)
        ]
        assert numbers == [prelist, added, prelist + added], village
        assert "@page" in page and "Tanda tangan" in page
    workbook.close()


def test_cli_refuses_the_restricted_databases_and_bad_regions(
    publication_warehouse: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    pii = publication_warehouse.folder / "pii.duckdb"
    assert main(["--warehouse", str(pii), "--out", str(tmp_path), "--no-progress"]) == 2
    assert "not the BI database" in capsys.readouterr().err
    bi = str(publication_warehouse.bi_database)
    for region in ("12x", "127", "9999"):
        assert main(["--warehouse", bi, "--out", str(tmp_path), "--region", region]) == 2
    assert main(["--warehouse", bi, "--out", str(tmp_path), "--region", "1272010001"]) == 2
    assert "--level" in capsys.readouterr().err
    code = main(
        [
            "--warehouse",
            bi,
            "--out",
            str(tmp_path),
            "--level",
            "desa",
            "--region",
            "1272010",
            "--k",
            "3",
            "--no-progress",
        ]
    )
    assert code == 0
    # the last line (the last of `make run`) points at the report, which is there
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert last_line == f"the report: {tmp_path / 'report.html'}"
    assert (tmp_path / "report.html").is_file()
    households = published_csv(tmp_path, "01_households")
    assert set(households["region_code"]) - {"total"} <= {
        code for code in households["region_code"] if code.startswith("1272010")
    }
    assert (
        len(list((tmp_path / "berita_acara").glob("1272010*.html")))
        == len(list((tmp_path / "berita_acara").glob("*.html"))) - 1
    )  # the index


def test_notebook_runs_against_the_test_warehouse(
    publication_warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    isolated = {
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "BDT_WAREHOUSE": str(publication_warehouse.bi_database),
        "PYTHONPATH": str(PROJECT_DIR),
    }
    for name, value in isolated.items():  # read by the kernel manager and by the kernel
        monkeypatch.setenv(name, value)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]
    assert any("image/png" in output.get("data", {}) for output in outputs), "no chart drawn"
    assert str(publication_warehouse.bi_database) in str(outputs)
