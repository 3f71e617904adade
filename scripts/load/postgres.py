"""Copy the raw layer from the raw DuckDB database into PostgreSQL (schema raw), all or nothing.

The DuckDB raw database is the loader's staging area on every target: files are read, checked and
loaded there once; for the PostgreSQL target its tables are then streamed into PostgreSQL with
COPY, text exactly as loaded (an empty string stays empty, NULL stays NULL). The schema is
replaced in one transaction, so PostgreSQL keeps the previous raw layer if anything fails.
"""

from __future__ import annotations

import tempfile
from contextlib import closing
from pathlib import Path

import duckdb
import psycopg2
from psycopg2 import sql

RAW_SCHEMA = "raw"


def raw_table_names(raw_database: Path) -> list[str]:
    """The tables of schema raw in the raw DuckDB database, and its views (Parquet read in
    place, `--parquet-in-place`), sorted."""
    with duckdb.connect(str(raw_database), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = current_database() and table_schema = ? order by table_name",
            [RAW_SCHEMA],
        ).fetchall()
    return [name for (name,) in rows]


def _column_definitions(connection: duckdb.DuckDBPyConnection, table: str) -> sql.Composed:
    columns = connection.execute(
        "select column_name, data_type from duckdb_columns()"
        " where schema_name = ? and table_name = ? order by column_index",
        [RAW_SCHEMA, table],
    ).fetchall()
    pg_types = {
        "BIGINT": "bigint",
        "INTEGER": "integer",
        "BOOLEAN": "boolean",
        "DOUBLE": "double precision",
        "DATE": "date",
        "TIMESTAMP WITH TIME ZONE": "timestamptz",
    }
    return sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_types.get(kind, "text")))
        for name, kind in columns
    )


def copied_to_postgres(raw_database: Path, dsn: str) -> dict[str, int]:
    """Replace PostgreSQL's schema raw by the tables of the raw DuckDB database; returns the
    rows copied per table."""
    tables = raw_table_names(raw_database)
    copied: dict[str, int] = {}
    with (
        duckdb.connect(str(raw_database), read_only=True) as source,
        closing(psycopg2.connect(dsn)) as target,
        target.cursor() as cursor,
        tempfile.TemporaryDirectory() as scratch,
    ):
        cursor.execute(
            sql.SQL("drop schema if exists {schema} cascade; create schema {schema}").format(
                schema=sql.Identifier(RAW_SCHEMA)
            )
        )
        for table in tables:
            target_table = sql.Identifier(RAW_SCHEMA, table)
            cursor.execute(
                sql.SQL("create table {} ({})").format(
                    target_table, _column_definitions(source, table)
                )
            )
            csv_path = Path(scratch) / f"{table}.csv"
            source.execute(
                f"copy (select * from {RAW_SCHEMA}.{RAW_SCHEMA}.\"{table}\") to '{csv_path}'"
                " (header, delimiter ',', quote '\"')"
            )
            with csv_path.open("rb") as handle:
                cursor.copy_expert(
                    sql.SQL("copy {} from stdin with (format csv, header true)")
                    .format(target_table)
                    .as_string(target),
                    handle,
                )
            copied[table] = cursor.rowcount
            csv_path.unlink()
        target.commit()
    return copied


def main(argv: list[str] | None = None) -> int:
    """python -m scripts.load.postgres RAW_DUCKDB DSN: the copy alone (the benchmark's peer)."""
    import sys

    raw_database, dsn = (argv if argv is not None else sys.argv[1:])[:2]
    copied = copied_to_postgres(Path(raw_database), dsn)
    print(f"copied {sum(copied.values()):,} rows in {len(copied)} tables into PostgreSQL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
