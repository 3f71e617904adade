"""CLI of the load step: python -m scripts.load --raw-dir DIR --out FILE [--delivery LABEL]
[--encoding [PATTERN=]ENC] [--header-row [PATTERN=]N]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from scripts.locking import LockHeld

from .delimited import checked_encoding
from .errors import RawFileError
from .header import HEADER_SEARCH_ROWS, checked_header_row
from .options import parsed_file_option
from .pipeline import load_raw_dir


def parsed_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.load",
        description="Load every raw BDT file of a folder into the raw DuckDB database "
        "(schema raw, every value as text, as in the file), and the typed rows staging reads "
        "beside each table (<table>__typed).",
    )
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of the raw files")
    parser.add_argument(
        "--out", type=Path, required=True, help="DuckDB file to write (replaced when all loaded)"
    )
    parser.add_argument(
        "--delivery",
        metavar="LABEL",
        help="the delivery the files of --raw-dir are: YYYY-MM (as of the first of the month) or "
        "YYYY-MM-DD; loading it again replaces that delivery only. Default: the date of the data "
        "(reference_date of the folder's manifest.json, else dbt's var reference_date). A "
        "--raw-dir of sub-folders named YYYY-MM or YYYY-MM-DD is loaded without it, each "
        "sub-folder as one delivery, in date order",
    )
    parser.add_argument(
        "--encoding",
        action="append",
        default=[],
        metavar="[PATTERN=]ENC",
        help="encoding of the export CSV/TXT files whose name matches PATTERN (fnmatch, letter "
        "case ignored; repeatable, the first match wins), or of every export file without "
        "PATTERN=; default: detected per file (UTF-8, else cp1252, else latin-1); a file with a "
        "UTF-8 BOM is UTF-8; the reference lists are always UTF-8",
    )
    parser.add_argument(
        "--header-row",
        action="append",
        default=[],
        metavar="[PATTERN=]N",
        help="the line (CSV/TXT) or sheet row (.xlsx) of the header, from 1, in the export "
        "files whose name matches PATTERN, or in every export file without PATTERN= "
        f"(repeatable); default: the first of the leading {HEADER_SEARCH_ROWS} rows holding the "
        "table's required columns",
    )
    parser.add_argument(
        "--reference-dir",
        type=Path,
        help="folder of the public reference lists (e.g. ../shared/reference); without it the "
        "reference tables are created empty",
    )
    parser.add_argument(
        "--parquet-in-place",
        action="store_true",
        help="read Parquet files where they lie (raw tables as views keeping file and row of "
        "origin) instead of copying them: for national-size exports; the files must stay there",
    )
    parser.add_argument(
        "--postgres-dsn",
        help="also copy the raw layer into this PostgreSQL database (schema raw, replaced in one "
        "transaction), for the postgres target; e.g. 'host=127.0.0.1 port=5432 dbname=bdt'",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    arguments = parser.parse_args(argv)
    for option, parse in (("encoding", checked_encoding), ("header_row", checked_header_row)):
        try:
            setattr(arguments, option, parsed_file_option(getattr(arguments, option), parse))
        except ValueError as exc:
            parser.error(f"--{option.replace('_', '-')}: {exc}")
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = parsed_arguments(argv)
    try:
        report = load_raw_dir(
            arguments.raw_dir,
            arguments.out,
            encoding=arguments.encoding,
            progress=not arguments.no_progress,
            reference_dir=arguments.reference_dir,
            parquet_in_place=arguments.parquet_in_place,
            header_row=arguments.header_row,
            delivery=arguments.delivery,
        )
    except (RawFileError, LockHeld) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.IOException) as exc:  # e.g. disk full, no write permission
        print(f"error: {arguments.out}: cannot be written ({exc})", file=sys.stderr)
        return 2
    for delivery in report.deliveries:
        kept = " the same files as when it was loaded: kept" if delivery.unchanged else ""
        print(
            f"delivery {delivery.label} (as of {delivery.as_of_date.isoformat()}; "
            f"{delivery.origin}):{kept}"
        )
        for summary in delivery.tables:
            print(f"  {summary.table}: {summary.rows:,} rows from {summary.files} file(s)")
    print(f"loaded into {arguments.out}")
    if arguments.postgres_dsn:
        import psycopg2

        from .postgres import copied_to_postgres

        try:
            copied = copied_to_postgres(arguments.out, arguments.postgres_dsn)
        except psycopg2.Error as exc:
            print(f"error: PostgreSQL: {str(exc).strip()}", file=sys.stderr)
            return 2
        print(f"copied {sum(copied.values()):,} rows in {len(copied)} tables into PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
