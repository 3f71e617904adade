"""The raw layer for the Spark target: the raw DuckDB database's tables as Parquet folders.

The DuckDB raw database is the loader's staging area on every target: files are read, checked and
loaded there once. For Spark its tables (and the views of `--parquet-in-place`) are written as
Parquet, one folder per table (`<spark dir>/raw/<table>/`), with their types (text exactly as
loaded, `_source_file`, `_source_line`, `_delivery`). dbt registers the folders as the tables of
the Spark database `raw` when it starts (macro register_raw_tables). The export is written beside
the previous one and swapped in at the end: a failed export leaves the previous raw layer.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb

from scripts.load.postgres import RAW_SCHEMA, raw_table_names
from scripts.restricted_files import owner_only_files, owner_only_folder

PARQUET_FILE = "part-00000.parquet"
# Spark's Parquet row groups: large enough for its vectorised reader, small enough to split.
ROW_GROUP_ROWS = 1_000_000


def spark_folder(warehouse_dir: Path) -> Path:
    """The Spark target's folder (tables, metastore, raw Parquet): BDT_SPARK_DIR, else
    <warehouse>/spark, as in profiles.yml."""
    return Path(os.environ.get("BDT_SPARK_DIR") or warehouse_dir / "spark")


def exported_to_parquet(raw_database: Path, raw_folder: Path) -> dict[str, int]:
    """Replace `raw_folder` by one Parquet folder per table of the raw DuckDB database; returns
    the rows written per table."""
    with owner_only_files():
        owner_only_folder(raw_folder.parent)
        fresh = raw_folder.with_name(raw_folder.name + ".new")
        previous = raw_folder.with_name(raw_folder.name + ".old")
        for stale in (fresh, previous):
            shutil.rmtree(stale, ignore_errors=True)
        fresh.mkdir()
        written: dict[str, int] = {}
        tables = raw_table_names(raw_database)
        with duckdb.connect(str(raw_database), read_only=True) as connection:
            for table in tables:
                (fresh / table).mkdir()
                target = fresh / table / PARQUET_FILE
                connection.execute(
                    f"copy (select * from {RAW_SCHEMA}.{RAW_SCHEMA}.\"{table}\") to '{target}'"
                    f" (format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS})"
                )
                (rows,) = connection.execute(f"select count(*) from '{target}'").fetchone()
                written[table] = rows
        if raw_folder.exists():
            raw_folder.rename(previous)
        fresh.rename(raw_folder)
        shutil.rmtree(previous, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    """python -m scripts.load.spark [RAW_DUCKDB [RAW_FOLDER]]: the export alone (after `make
    load`); defaults warehouse/raw.duckdb and <spark dir>/raw."""
    arguments = argv if argv is not None else sys.argv[1:]
    warehouse_dir = Path(os.environ.get("BDT_WAREHOUSE_DIR") or "warehouse")
    raw_database = Path(arguments[0]) if arguments else warehouse_dir / "raw.duckdb"
    raw_folder = Path(arguments[1]) if len(arguments) > 1 else spark_folder(warehouse_dir) / "raw"
    if not raw_database.is_file():
        sys.exit(f"error: no raw layer at {raw_database}: run `make load` first")
    written = exported_to_parquet(raw_database, raw_folder)
    print(f"exported {sum(written.values()):,} rows in {len(written)} tables to {raw_folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
