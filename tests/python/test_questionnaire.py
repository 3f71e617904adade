"""The rest of the PBDT 2015 questionnaire (issue #17): an older export without its columns still
loads and builds, and the marts then hold unknown (null) answers for them, never "no"."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.python.warehouse import Warehouse, built_warehouse

# The columns added for issue #17, written out here (not read from the contract).
NEW_HOUSEHOLD_COLUMNS = ("luas_bangunan", "ada_hp", "sta_art_usaha")
NEW_MEMBER_COLUMNS = (
    "sta_kb",
    "alat_kb",
    "sta_sekolah",
    "lapangan_usahaart",
    "jumlah_pekerja",
    "lokasi_usaha",
    "omset_usaha",
)


def without_columns(source: Path, target: Path, dropped: tuple[str, ...]) -> None:
    """Copy a CSV file without the columns whose header (any letter case) is in `dropped`, with
    CRLF line ends (so that a stray carriage return in a value is quoted)."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    keep = [i for i, header in enumerate(rows[0]) if header.strip().lower() not in dropped]
    assert len(keep) == len(rows[0]) - len(dropped), f"{source.name}: not every column found"
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([row[i] for i in keep] for row in rows)


@pytest.fixture(scope="module")
def older_export(generated_small: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The small generated set with the issue #17 columns removed, loaded and built."""
    raw = tmp_path_factory.mktemp("older_export") / "raw"
    shutil.copytree(generated_small, raw)
    for path in raw.glob("bdt_rt_*.csv"):
        without_columns(path, path, NEW_HOUSEHOLD_COLUMNS)
    for path in raw.glob("bdt_art_*.csv"):
        without_columns(path, path, NEW_MEMBER_COLUMNS)
    return built_warehouse(raw, tmp_path_factory.mktemp("older_export_warehouse"))


def test_an_export_without_the_new_columns_builds_with_unknown_answers(
    older_export: Warehouse,
) -> None:
    with older_export.connect() as connection:
        individuals = connection.execute(
            "select count(*), count(pregnant_code), count(uses_family_planning_code),"
            " count(family_planning_method_code), count(school_ownership_code),"
            " count(own_business_sector_code), count(own_business_worker_count),"
            " count(own_business_fixed_place_code), count(own_business_turnover_code)"
            " from marts.dim_individual"
        ).fetchone()
        households = connection.execute(
            "select count(*), count(floor_area_m2), count(building_area_m2),"
            " count(member_business_code) from marts.dim_household"
            " where household_source = 'BDT'"
        ).fetchone()
        phones = connection.execute(
            "select count(*), count(is_owned) from marts.fct_household_assets"
            " where asset_code = 'mobile_phone'"
        ).fetchone()
    assert individuals is not None and households is not None and phones is not None
    # the old questions are there, the new ones unknown for everyone
    assert individuals[0] > 1000 and individuals[1] > 50
    assert individuals[2:] == (0,) * 7
    assert households[0] > 250 and households[1] > 250 and households[2:] == (0, 0)
    assert phones == (households[0], 0)
    # the loader lists them as the optional columns these files lack
    with duckdb.connect(str(older_export.folder / "raw.duckdb"), read_only=True) as raw:
        missing = dict(
            raw.execute(
                "select file, missing_optional_columns from raw.raw._load_files"
                " where file like 'bdt_%'"
            ).fetchall()
        )
    assert set(missing["bdt_rt_1272.csv"].split(",")) == set(NEW_HOUSEHOLD_COLUMNS)
    assert set(missing["bdt_art_1272.csv"].split(",")) == set(NEW_MEMBER_COLUMNS)
