"""The BI database of a Spark build: what Spark wrote for the BI side (the marts, the quality
tables and the reference seeds, as Parquet), copied into one DuckDB file, `<spark dir>/bdt.duckdb`,
with the types and comments the contracts declare.

The publication, Superset and anyone with DuckDB then read a Spark build exactly as they read
warehouse/bdt.duckdb. Spark writes its tables in place; this copy is written beside the previous
one and moved over it only after a build whose every model and test passed, so a reader sees the
last good build whole, never a build half written (the write-audit-publish of the DuckDB target).
It never holds the restricted databases (raw, staging, intermediate, identity).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build.paths import BI_DATABASE
from scripts.restricted_files import readable_by_all

# The BI side of the project: the Spark databases (schemas elsewhere) copied.
BI_SCHEMAS = ("marts", "quality", "reference")


@dataclass(frozen=True)
class BiTable:
    schema: str
    name: str
    description: str
    # column name -> (declared type or None: as Spark wrote it, description)
    columns: dict[str, tuple[str | None, str]]


def bi_tables(manifest_path: Path) -> Iterator[BiTable]:
    """The tables of the BI side in a dbt manifest (models and seeds built into BI_SCHEMAS),
    with the column types of the marts' contracts and of the seeds' column_types."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed") or node["schema"] not in BI_SCHEMAS:
            continue
        seed_types = node["config"].get("column_types") or {}
        yield BiTable(
            schema=node["schema"],
            name=node["alias"] or node["name"],
            description=node["description"],
            columns={
                name: (column.get("data_type") or seed_types.get(name), column["description"])
                for name, column in node["columns"].items()
            },
        )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parquet_relation(tables_dir: Path, table: BiTable) -> str | None:
    """A DuckDB expression reading the table's Parquet files; None when it has no rows (Spark
    then writes no file)."""
    files = tables_dir / f"{table.schema}.db" / table.name
    if not files.is_dir():
        raise FileNotFoundError(f"{files}: Spark built no table {table.schema}.{table.name}")
    if next(files.rglob("*.parquet"), None) is None:
        return None
    # Spark keeps a partition column (the history marts' delivery) in the folder names
    return (
        f"read_parquet({_quoted(f'{files}/**/*.parquet')}, hive_partitioning = true,"
        " hive_types_autocast = false)"
    )


def _copied_table(connection: duckdb.DuckDBPyConnection, tables_dir: Path, table: BiTable) -> int:
    """Copy one table, its columns cast to their declared types (in the contract's order when
    every column has one, else in Spark's); its rows."""
    target = f'"{table.schema}"."{table.name}"'
    declared = {name: kind for name, (kind, _) in table.columns.items() if kind}
    relation = _parquet_relation(tables_dir, table)
    if relation is None:
        if len(declared) < len(table.columns) or not declared:
            raise ValueError(f"{table.schema}.{table.name}: no rows and no declared types")
        columns = ", ".join(f'"{name}" {kind}' for name, kind in declared.items())
        connection.execute(f"create table {target} ({columns})")
    else:
        query = f"describe select * from {relation}"
        written = [row[0] for row in connection.execute(query).fetchall()]
        order = list(declared) if set(declared) == set(written) else written
        cells = [
            f'cast("{name}" as {declared[name]}) as "{name}"' if name in declared else f'"{name}"'
            for name in order
        ]
        connection.execute(f"create table {target} as select {', '.join(cells)} from {relation}")
    if table.description:
        connection.execute(f"comment on table {target} is {_quoted(table.description)}")
    for column, (_, description) in table.columns.items():
        if description:
            connection.execute(f'comment on column {target}."{column}" is {_quoted(description)}')
    (rows,) = connection.execute(f"select count(*) from {target}").fetchone()
    return rows


def spark_bi_database(spark_dir: Path, manifest_path: Path) -> tuple[Path, dict[str, int]]:
    """Write `<spark_dir>/bdt.duckdb` from the Spark tables under `<spark_dir>/tables` (built
    beside the previous one, then moved over it); its path and the rows of each table."""
    target = spark_dir / BI_DATABASE
    fresh = target.with_name(target.name + ".new")
    fresh.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    connection = duckdb.connect(str(fresh))
    try:
        for schema in BI_SCHEMAS:
            connection.execute(f'create schema "{schema}"')
        for table in sorted(bi_tables(manifest_path), key=lambda t: (t.schema, t.name)):
            rows[f"{table.schema}.{table.name}"] = _copied_table(
                connection, spark_dir / "tables", table
            )
        connection.execute("checkpoint")
    finally:
        connection.close()
    readable_by_all(fresh)
    os.replace(fresh, target)
    return target, rows
