"""The raw layer for the Spark target: the raw DuckDB database's tables as Parquet folders.

The DuckDB raw database is the loader's staging area on every target: files are read, checked and
loaded there once. For Spark its tables (and the views of `--parquet-in-place`) are written as
Parquet, one folder per table (`<spark dir>/raw/<table>/`), with their types (text exactly as
loaded, `_source_file`, `_source_line`, `_delivery`). dbt registers the folders as the tables of
the Spark database `raw` when it starts (macro register_raw_tables). The export is written beside
the previous one and swapped in at the end: a failed export leaves the previous raw layer.

The registry's tables (a delivery label on every row: households, members, PKH payments, FKP
results) are partitioned Hive-style by delivery (`<table>/_delivery=2017-07/`): a build reads
only its delivery's folders (staging filters on `_delivery`), not the whole history. The layout
`province` adds a level by province (`.../_delivery=2017-07/_province=12/`, the row's raw
`KDPROP` when it is one or two digits, padded to two, else `UNPARTITIONED_PROVINCE`; in a typed
table its staged `province_code`), for builds
of one province; measured, it costs a national build more than it saves (docs/scale.md,
section 7), so it is not the default.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import duckdb

from scripts.load.postgres import RAW_SCHEMA, raw_table_names
from scripts.restricted_files import owner_only_files, owner_only_folder

PARQUET_FILE = "part-00000.parquet"
# Spark's Parquet row groups: large enough for its vectorised reader, small enough to split
# (Spark splits a file between tasks at row groups only: with 1,000,000 rows a group, the 1m
# set's households were one group, read by one task on one core).
ROW_GROUP_ROWS = 122_880
DELIVERY_COLUMN = "_delivery"
PROVINCE_COLUMN = "_province"
# The province code a partition is named after: the raw KDPROP, or in a typed table
# (scripts/load/typed.py) its staged name; the first a table has.
PROVINCE_SOURCE_COLUMNS = ("kdprop", "province_code")
# The partition of rows whose KDPROP is not a one- or two-digit code (blank, NULL, garbage).
UNPARTITIONED_PROVINCE = "unknown"
PROVINCE_PATTERN = r"^\s*([0-9]{1,2})\s*$"
# The partition columns of each layout, outermost first; tables that lack one are written whole.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "province": (DELIVERY_COLUMN, PROVINCE_COLUMN),
    "delivery": (DELIVERY_COLUMN,),
    "single": (),
}
DEFAULT_LAYOUT = "delivery"


def spark_folder(warehouse_dir: Path) -> Path:
    """The Spark target's folder (tables, metastore, raw Parquet): BDT_SPARK_DIR, else
    <warehouse>/spark, as in profiles.yml."""
    return Path(os.environ.get("BDT_SPARK_DIR") or warehouse_dir / "spark")


def province_source(columns: list[str]) -> str | None:
    """The column of a table's province code (PROVINCE_SOURCE_COLUMNS), None when it has none."""
    return next((c for c in PROVINCE_SOURCE_COLUMNS if c in columns), None)


def province_expression(source: str = PROVINCE_SOURCE_COLUMNS[0]) -> str:
    """SQL (DuckDB) of a row's province partition: its province code (`source`) as two digits,
    else UNPARTITIONED_PROVINCE."""
    code = f"regexp_extract({source}, '{PROVINCE_PATTERN}', 1)"
    return f"coalesce(lpad(nullif({code}, ''), 2, '0'), '{UNPARTITIONED_PROVINCE}')"


def partition_columns(columns: list[str], layout: str) -> tuple[str, ...]:
    """The partition columns of a table with `columns` under `layout`: all of the layout's,
    or none when the table lacks what one of them is computed from."""
    wanted = LAYOUTS[layout]
    found = {
        DELIVERY_COLUMN: DELIVERY_COLUMN in columns,
        PROVINCE_COLUMN: bool(province_source(columns)),
    }
    return wanted if all(found[column] for column in wanted) else ()


def _table_columns(connection: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [RAW_SCHEMA, table],
    ).fetchall()
    return [name for (name,) in rows]


def _exported_table(
    connection: duckdb.DuckDBPyConnection, table: str, folder: Path, layout: str
) -> int:
    """Write one raw table into `folder` (one file, or Hive partitions); returns its rows."""
    columns = _table_columns(connection, table)
    partitions = partition_columns(columns, layout)
    relation = f'{RAW_SCHEMA}.{RAW_SCHEMA}."{table}"'
    options = f"format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS}"
    if partitions:
        source = province_source(columns) or PROVINCE_SOURCE_COLUMNS[0]
        province = f", {province_expression(source)} as {PROVINCE_COLUMN}"
        select = f"select *{province if PROVINCE_COLUMN in partitions else ''} from {relation}"
        connection.execute(
            f"copy ({select}) to '{folder}' ({options}, partition_by ({', '.join(partitions)}))"
        )
        files = f"{folder}/**/*.parquet"
    else:
        folder.mkdir()
        files = str(folder / PARQUET_FILE)
        connection.execute(f"copy (select * from {relation}) to '{files}' ({options})")
    (rows,) = connection.execute(f"select count(*) from read_parquet('{files}')").fetchone()
    return rows


def exported_to_parquet(
    raw_database: Path, raw_folder: Path, layout: str = DEFAULT_LAYOUT
) -> dict[str, int]:
    """Replace `raw_folder` by one Parquet folder per table of the raw DuckDB database (the
    registry's tables partitioned as `layout` says); returns the rows written per table."""
    with owner_only_files():
        owner_only_folder(raw_folder.parent)
        fresh = raw_folder.with_name(raw_folder.name + ".new")
        previous = raw_folder.with_name(raw_folder.name + ".old")
        for stale in (fresh, previous):
            shutil.rmtree(stale, ignore_errors=True)
        fresh.mkdir()
        tables = raw_table_names(raw_database)
        with duckdb.connect(str(raw_database), read_only=True) as connection:
            connection.execute("set enable_progress_bar = false")
            written = {
                table: _exported_table(connection, table, fresh / table, layout) for table in tables
            }
        if raw_folder.exists():
            raw_folder.rename(previous)
        fresh.rename(raw_folder)
        shutil.rmtree(previous, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    """python -m scripts.load.spark [RAW_DUCKDB [RAW_FOLDER]] [--layout ...]: the export alone
    (after `make load`); defaults warehouse/raw.duckdb and <spark dir>/raw."""
    parser = argparse.ArgumentParser(prog="python -m scripts.load.spark", description=__doc__)
    parser.add_argument("raw_database", nargs="?", type=Path)
    parser.add_argument("raw_folder", nargs="?", type=Path)
    parser.add_argument(
        "--layout", choices=sorted(LAYOUTS), default=DEFAULT_LAYOUT,
        help=f"partitioning of the registry's tables (default {DEFAULT_LAYOUT})",
    )  # fmt: skip
    arguments = parser.parse_args(argv)
    warehouse_dir = Path(os.environ.get("BDT_WAREHOUSE_DIR") or "warehouse")
    raw_database = arguments.raw_database or warehouse_dir / "raw.duckdb"
    raw_folder = arguments.raw_folder or spark_folder(warehouse_dir) / "raw"
    if not raw_database.is_file():
        sys.exit(f"error: no raw layer at {raw_database}: run `make load` first")
    written = exported_to_parquet(raw_database, raw_folder, arguments.layout)
    print(
        f"exported {sum(written.values()):,} rows in {len(written)} tables to {raw_folder}"
        f" ({arguments.layout} layout)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
