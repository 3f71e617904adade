"""The public tier: the publication's disclosure-controlled tables as a database for open
dashboards and data portals, for anyone.

It holds exactly the cells of the published CSV tables (tidy.published_cells: long format,
rounded, suppressed cells without a value and flagged), one table per publication table
(`t<NN>_<name>`, like `tables/<NN>_<name>.csv`), and `_tables` with each table's titles, notes
and size. It is built from the protected tables only (scripts/publish/suppression.py), so it
publishes nothing the CSV tables do not: no row of the warehouse, no key, no suppressed value.
The same tables are written as Parquet files. Each file is written under a temporary name and
renamed into place, so that a reader never sees half a file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from .labels import suppression_note
from .model import Table
from .tidy import published_cells

DATABASE_NAME = "bdt_public.duckdb"
PARQUET_FOLDER = "parquet"
CATALOGUE = "_tables"
NOTE_SEPARATOR = "\n"
TEMPORARY_SUFFIX = ".tmp"
# Numeric columns of the published cells (tidy.published_cells); the others are text.
NUMBER_COLUMNS = ("value", "base", "unknown")


def table_name(table: Table) -> str:
    """The table's name in the public database: `t` + the CSV file's stem (t01_households)."""
    return f"t{table.slug}"


def public_cells(table: Table) -> pd.DataFrame:
    """The table's published cells with typed columns: the numbers (value, and the base and
    unknown count of a computed value) as numbers, null where suppressed; suppressed a
    boolean."""
    cells = published_cells(table)
    numbers = [column for column in NUMBER_COLUMNS if column in cells.columns]
    for column in numbers:
        cells[column] = cells[column].astype(float)
    cells["suppressed"] = cells["suppressed"].astype(bool)
    if cells.loc[cells["suppressed"], numbers].notna().any().any():
        raise ValueError(f"{table.slug}: a suppressed cell has a value")
    return cells


def catalogue(tables: Sequence[Table], cells: Sequence[pd.DataFrame], k: int) -> pd.DataFrame:
    """`_tables`: one row per table with its file names, titles, notes (the table's own and
    the suppression rule) and its numbers of cells."""
    rule = suppression_note(k)
    rows = []
    for table, table_cells in zip(tables, cells, strict=True):
        notes = (*table.notes, rule)
        rows.append(
            {
                "table_name": table_name(table),
                "table_number": table.number,
                "csv_file": f"tables/{table.slug}.csv",
                "parquet_file": f"{PARQUET_FOLDER}/{table.slug}.parquet",
                "title_id": table.title.id,
                "title_en": table.title.en,
                "notes_id": NOTE_SEPARATOR.join(note.id for note in notes),
                "notes_en": NOTE_SEPARATOR.join(note.en for note in notes),
                "row_count": len(table_cells),
                "suppressed_count": int(table_cells["suppressed"].sum()),
                "suppression_k": k,
            }
        )
    return pd.DataFrame(rows)


def _temporary(path: Path) -> Path:
    return path.with_name(f"{path.name}{TEMPORARY_SUFFIX}")


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _removed_stale_files(folder: Path, parquet_folder: Path) -> None:
    """Parquet files of an earlier run (a table may have gone) and a killed run's temporaries."""
    stale = [
        *parquet_folder.glob("*.parquet"),
        *parquet_folder.glob(f"*{TEMPORARY_SUFFIX}"),
        *folder.glob(f"*{TEMPORARY_SUFFIX}"),
    ]
    for path in stale:
        path.unlink()


def written_public_tier(tables: Sequence[Table], folder: Path, *, k: int) -> list[Path]:
    """Write `folder`/bdt_public.duckdb and `folder`/parquet/<NN>_<name>.parquet (and
    _tables.parquet) from the protected tables (the objects tidy.written_csv writes); returns
    the paths written."""
    parquet_folder = folder / PARQUET_FOLDER
    parquet_folder.mkdir(parents=True, exist_ok=True)
    _removed_stale_files(folder, parquet_folder)
    cells = [public_cells(table) for table in tables]
    # (table name, Parquet file, cells)
    contents = [
        (table_name(table), parquet_folder / f"{table.slug}.parquet", frame)
        for table, frame in zip(tables, cells, strict=True)
    ]
    contents.append(
        (CATALOGUE, parquet_folder / f"{CATALOGUE}.parquet", catalogue(tables, cells, k))
    )
    database = folder / DATABASE_NAME
    with duckdb.connect(str(_temporary(database))) as connection:
        for name, parquet_file, frame in contents:
            connection.register("frame", frame)
            connection.execute(f'create table "{name}" as select * from frame')
            connection.unregister("frame")
            connection.execute(
                f'copy "{name}" to {_sql_path(_temporary(parquet_file))} (format parquet)'
            )
    written = [parquet_file for _, parquet_file, _ in contents] + [database]
    for path in written:
        os.replace(_temporary(path), path)
    return [database, *written[:-1]]
