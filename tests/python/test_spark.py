"""The same dbt project on Apache Spark (local, dbt-spark `method: session`): the very dirty set
(that of dirty_warehouse) built there with `python -m scripts.build --target spark`, and its
marts compared with the DuckDB build, row by row on the same keys. The Spark tables are read
from their Parquet files with DuckDB, not through Spark. Needs `make setup-spark` and Java 17;
skipped without them."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from tests.python.warehouse import TEST_SECRET, Warehouse, build_command

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
        reason="the Spark target is not installed (make setup-spark; Java 17)",
    ),
]

# The marts compared so far, with their key (docs/spark.md: the others are next).
COMPARED_MARTS = {"dim_region": "village_code", "dim_household": "household_key"}
# Doubles are compared to this many decimals: the engines may sum in another order.
DOUBLE_DECIMALS = 9


@pytest.fixture(scope="module")
def spark_tables(dirty_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spark build of the very dirty set: its raw layer (the DuckDB build's raw.duckdb)
    exported as Parquet and built on local Spark; the folder of Spark's tables."""
    folder = tmp_path_factory.mktemp("spark_warehouse")
    shutil.copy(dirty_warehouse.folder / "raw.duckdb", folder / "raw.duckdb")
    env = dbt_environment(folder, TEST_SECRET, folder)
    subprocess.run(
        [sys.executable, "-m", "scripts.load.spark"],
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    build = subprocess.run(
        build_command("--target", "spark"),
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    assert build.returncode == 0, f"build on Spark failed:\n{build.stdout[-6000:]}"
    return folder / "spark" / "tables"


def spark_relation(tables: Path, database: str, table: str) -> str:
    """A DuckDB expression that reads a Spark table from its Parquet files."""
    files = tables / f"{database}.db" / table
    assert files.is_dir(), f"Spark built no table {database}.{table}"
    return f"read_parquet('{files}/**/*.parquet', hive_partitioning = true)"


def rows_by_key(
    connection: duckdb.DuckDBPyConnection, relation: str, key: str, columns: dict[str, str]
) -> dict[str, tuple]:
    """Every row of `relation` by its key as text, each of `columns` (name -> DuckDB type of
    the DuckDB build) as text, doubles rounded."""
    cells = [
        f"cast(round({name}, {DOUBLE_DECIMALS}) as varchar)"
        if kind in ("DOUBLE", "FLOAT")
        else f"cast({name} as varchar)"
        for name, kind in columns.items()
    ]
    rows = connection.execute(
        f"select cast({key} as varchar), {', '.join(cells)} from {relation}"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("mart", sorted(COMPARED_MARTS))
def test_spark_mart_equals_the_duckdb_mart(
    mart: str, spark_tables: Path, dirty_warehouse: Warehouse
) -> None:
    key = COMPARED_MARTS[mart]
    with dirty_warehouse.connect() as connection:
        columns = dict(
            connection.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            ).fetchall()
        )
        expected = rows_by_key(connection, f"marts.{mart}", key, columns)
    with duckdb.connect() as connection:
        built = rows_by_key(connection, spark_relation(spark_tables, "marts", mart), key, columns)
    assert len(expected) > 30
    assert built.keys() == expected.keys()
    differing = {
        name: sum(built[k][i] != expected[k][i] for k in expected) for i, name in enumerate(columns)
    }
    assert {name: count for name, count in differing.items() if count} == {}
