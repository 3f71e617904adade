"""The public tier (output/public/bdt_public.duckdb and output/public/parquet/): exactly the
cells of the published CSV tables, nothing where the CSV says suppressed, nothing below k, no
row-level data and no NIK-like value."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from scripts.publish.model import COUNT, REFERENCE
from scripts.publish.pipeline import Publication
from scripts.publish.public_tier import CATALOGUE, DATABASE_NAME, PARQUET_FOLDER, table_name

K = 5  # the publication fixture's threshold (the default)
NUMBER_COLUMNS = ["value", "base", "unknown"]
CELL_KEYS = ["region_level", "region_code", "desil", "measure"]
NIK_LIKE = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
HEX_KEY = re.compile(
    r"(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
)
# Column names that would betray row-level data: keys and identifiers of the registry.
ROW_LEVEL_COLUMN = re.compile(
    r"(^|_)(key|uuid|nik|kk|no_?kk|idbdt|idartbdt|idpkh|ruta6|household_id|person_id|nama|name_of"
    r"|alamat|address|birth|tgl_?lahir)($|_)",
    re.IGNORECASE,
)


def csv_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every published CSV table by its stem, read as text with the numbers as numbers."""
    tables = {}
    for path in sorted((out_dir / "tables").glob("[0-9][0-9]_*.csv")):
        cells = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in NUMBER_COLUMNS:
            cells[column] = [float(text) if text else np.nan for text in cells[column]]
        tables[path.stem] = cells
    return tables


def database_tables(path: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(path), read_only=True) as connection:
        names = [row[0] for row in connection.execute("show tables").fetchall()]
        return {name: connection.execute(f'select * from "{name}"').df() for name in names}


def as_published(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's cells in the CSV's terms (booleans as true/false, text nulls blank), sorted."""
    frame = frame.copy()
    for column in frame.columns:
        if column in NUMBER_COLUMNS:
            frame[column] = frame[column].astype(float)
        elif frame[column].dtype == bool:
            frame[column] = frame[column].map({True: "true", False: "false"}).astype(str)
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(list(frame.columns), ignore_index=True)


@pytest.fixture(scope="module")
def public(out_dir: Path) -> Path:
    return out_dir / "public"


def test_the_publication_writes_the_public_tier(publication: Publication, public: Path) -> None:
    assert public / DATABASE_NAME in publication.files
    parquet = {path.name for path in (public / PARQUET_FOLDER).iterdir()}
    expected = {f"{table.slug}.parquet" for table in publication.tables}
    assert parquet == expected | {f"{CATALOGUE}.parquet"}, "no stale or temporary file either"
    assert {path.name for path in public.iterdir()} == {DATABASE_NAME, PARQUET_FOLDER}


def test_the_database_and_the_parquet_files_hold_exactly_the_cells_of_the_csvs(
    publication: Publication, out_dir: Path, public: Path
) -> None:
    published = csv_tables(out_dir)
    database = database_tables(public / DATABASE_NAME)
    assert set(database) == {f"t{stem}" for stem in published} | {CATALOGUE}
    assert {table_name(table) for table in publication.tables} == set(database) - {CATALOGUE}
    for stem, csv_cells in published.items():
        name = f"t{stem}"
        parquet = pd.read_parquet(public / PARQUET_FOLDER / f"{stem}.parquet")
        for label, frame in (("database", database[name]), ("parquet", parquet)):
            assert list(frame.columns) == list(csv_cells.columns), f"{label} {name}: columns"
            pd.testing.assert_frame_equal(
                as_published(frame), as_published(csv_cells), obj=f"{label} {name}"
            )


def test_nothing_where_the_csv_says_suppressed_and_nothing_below_k(
    publication: Publication, out_dir: Path, public: Path
) -> None:
    database = database_tables(public / DATABASE_NAME)
    suppressed = 0
    for table in publication.tables:
        cells = database[table_name(table)]
        hidden = cells[cells["suppressed"]]
        suppressed += len(hidden)
        assert hidden[NUMBER_COLUMNS].isna().all().all(), f"{table.slug}: a suppressed value"
        # Every value shown rests on k units or more: counts of k or more, computed values
        # from a base of k or more (the public BPS reference figures aside).
        kinds = table.cells[[*CELL_KEYS, "kind"]]
        shown = cells[cells["value"].notna()].merge(kinds, on=CELL_KEYS, validate="one_to_one")
        counts = shown[shown["kind"] == COUNT]
        assert (counts["value"] >= K).all(), f"{table.slug}: a count below {K}"
        computed = shown[~shown["kind"].isin([COUNT, REFERENCE])]
        assert (computed["base"] >= K).all(), f"{table.slug}: a value from fewer than {K} units"
    assert suppressed > 0, "the fixture should hold suppressed cells"
    catalogue = database[CATALOGUE].set_index("table_name")
    for stem, csv_cells in csv_tables(out_dir).items():
        entry = catalogue.loc[f"t{stem}"]
        assert entry["row_count"] == len(csv_cells)
        assert entry["suppressed_count"] == (csv_cells["suppressed"] == "true").sum()
        assert entry["suppression_k"] == K


def test_no_row_level_data_and_no_nik_like_value(public: Path) -> None:
    frames = database_tables(public / DATABASE_NAME)
    frames |= {
        f"parquet {path.name}": pd.read_parquet(path)
        for path in (public / PARQUET_FOLDER).glob("*.parquet")
    }
    for name, frame in frames.items():
        for column in frame.columns:
            assert not ROW_LEVEL_COLUMN.search(column), f"{name}.{column}: a row-level column"
            for value in frame[column].dropna().unique():
                text = _text(value)
                assert not NIK_LIKE.search(text), f"{name}.{column}: a NIK-like value {text}"
                assert not HEX_KEY.search(text), f"{name}.{column}: a key-like value {text}"


def _text(value: object) -> str:
    """A value as text; a whole number written out in full (a NIK stored as a number)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)
