"""The limit a build is judged against: DuckDB reading every raw file once (every column of every
row) and writing the marts' size once (a copy of every BI-facing table into a new file), with the
warehouse's own DuckDB settings. Prints its timings as JSON.

python -m scripts.bench.limit --raw-dir DIR --warehouse bdt.duckdb --scratch DIR
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import duckdb

from scripts.contract import export_tables

DELIMITED = (".csv", ".txt")


def duckdb_settings() -> dict[str, str]:
    """The settings of the dev profile (profiles.yml), from the same environment variables."""
    return {
        "memory_limit": os.environ.get("BDT_MEMORY_LIMIT", "12GB"),
        "threads": os.environ.get("BDT_DUCKDB_THREADS", "2"),
        "preserve_insertion_order": os.environ.get("BDT_PRESERVE_INSERTION_ORDER", "false"),
    }


def raw_files(raw_dir: Path) -> list[Path]:
    tables = export_tables()
    return sorted(
        path
        for path in raw_dir.iterdir()
        if path.is_file() and any(table.matches(path.name) for table in tables)
    )


def read_seconds(raw_dir: Path, connection: duckdb.DuckDBPyConnection) -> tuple[float, int]:
    """Seconds to read every column of every row of every raw file, and the rows read."""
    started = time.perf_counter()
    rows = 0
    for path in raw_files(raw_dir):
        if path.suffix.lower() in DELIMITED:
            scan = f"read_csv('{path}', all_varchar = true, header = true)"
        elif path.suffix.lower() == ".parquet":
            scan = f"read_parquet('{path}')"
        else:
            continue  # Excel is read by openpyxl, not DuckDB: the limit covers CSV and Parquet
        (count, _) = connection.execute(
            f"select count(*), bit_xor(hash(raw_row)) from {scan} as raw_row"
        ).fetchone()
        rows += count
    return time.perf_counter() - started, rows


def write_seconds(warehouse: Path, scratch: Path) -> tuple[float, int]:
    """Seconds to write a copy of every table of schemas marts and quality, and its bytes."""
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / "limit_write.duckdb"
    target.unlink(missing_ok=True)
    connection = duckdb.connect(str(target), config=duckdb_settings())
    connection.execute(f"attach '{warehouse}' as bi (read_only)")
    tables = connection.execute(
        "select schema_name, table_name from duckdb_tables()"
        " where database_name = 'bi' and schema_name in ('marts', 'quality')"
    ).fetchall()
    started = time.perf_counter()
    for schema, table in tables:
        copy = f'create table "{schema}_{table}" as select * from bi."{schema}"."{table}"'
        connection.execute(copy)
    connection.execute("checkpoint")
    seconds = time.perf_counter() - started
    connection.close()
    size = target.stat().st_size
    target.unlink()
    return seconds, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.limit")
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, required=True)
    arguments = parser.parse_args(argv)
    with duckdb.connect(config=duckdb_settings()) as connection:
        read_s, rows = read_seconds(arguments.raw_dir, connection)
    write_s, written = write_seconds(arguments.warehouse, arguments.scratch)
    print(json.dumps({"read_s": round(read_s, 2), "rows_read": rows,
                      "write_s": round(write_s, 2), "bytes_written": written}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
