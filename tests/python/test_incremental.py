"""A warehouse built delivery by delivery as they arrive (one of them late) equals one built
from all of them at once with --full-refresh, table for table and row for row; a build after a
new delivery builds that delivery alone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from tests.python.warehouse import (
    TEST_SECRET,
    Warehouse,
    build_command,
    built_warehouse,
    load_command,
    run_generator,
    with_everyday_umask,
)

pytestmark = pytest.mark.slow  # five builds

SERIES = ("--households", "1500", "--seed", "21", "--deliveries", "3", "--interval-months", "12")
# What is compared: every table the BI database and the restricted one hold for the project.
COMPARED_SCHEMAS = {"bdt": ("marts", "quality"), "pii": ("intermediate", "identity")}
# Columns that say when something ran, which differ between any two builds.
RUN_TIME_TYPES = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP")


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_generator(tmp_path_factory.mktemp("series") / "raw", *SERIES)


@pytest.fixture(scope="module")
def replayed(series: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Every delivery loaded at once, then one build from nothing (--full-refresh)."""
    return built_warehouse(series, tmp_path_factory.mktemp("replayed"), "--full-refresh")


def delivery_labels(series: Path) -> list[str]:
    index = json.loads((series / "deliveries.json").read_text(encoding="utf-8"))
    return [entry["folder"] for entry in index["deliveries"]]


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1200,
        preexec_fn=with_everyday_umask,
    )  # fmt: skip
    assert done.returncode == 0, f"{command[2]} failed:\n{done.stdout[-6000:]}{done.stderr[-3000:]}"
    return done.stdout


def _history_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("history: delivery")]


def _compared_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """catalog.schema.table -> its columns but the run times, for the compared schemas."""
    wanted = " or ".join(
        f"(database_name = '{database}' and schema_name in {schemas!r})"
        for database, schemas in COMPARED_SCHEMAS.items()
    )
    rows = connection.execute(
        "select database_name || '.' || schema_name || '.' || table_name, column_name, data_type"
        f" from duckdb_columns() where ({wanted}) and table_name in"
        " (select table_name from duckdb_tables())"
        " order by 1, column_index"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column, data_type in rows:
        columns = tables.setdefault(table, [])
        if data_type not in RUN_TIME_TYPES:
            columns.append(f'"{column}"')
    return tables


def _attached(folder: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for name in ("bdt", "pii"):
        connection.execute(f"attach '{folder / name}.duckdb' as {name} (read_only)")
    return connection


def _rows_not_in(first: Path, second: Path, table: str, columns: list[str]) -> int:
    """Rows of `table` in the warehouse `first` that `second` lacks (EXCEPT ALL)."""
    connection = duckdb.connect()
    for alias, folder in (("first", first), ("second", second)):
        for name in ("bdt", "pii"):
            connection.execute(f"attach '{folder / name}.duckdb' as {alias}_{name} (read_only)")
    database, relation = table.split(".", 1)
    select = ", ".join(columns)
    return connection.execute(
        f"select count(*) from (select {select} from first_{database}.{relation}"
        f" except all select {select} from second_{database}.{relation})"
    ).fetchone()[0]


def test_deliveries_built_as_they_arrive_equal_a_full_refresh(
    series: Path, replayed: Warehouse, tmp_path: Path
) -> None:
    first, second, third = delivery_labels(series)
    folder = tmp_path / "incremental"
    folder.mkdir()
    env = dbt_environment(folder, TEST_SECRET, folder)
    raw = folder / "raw.duckdb"

    _run(load_command(series / first, raw, "--delivery", first), env)
    assert _history_lines(_run(build_command(), env)) == []
    # the third arrives before the second: built alone, the history then holds 1 and 3
    _run(load_command(series / third, raw, "--delivery", third), env)
    assert _history_lines(_run(build_command(), env)) == []
    # the second, late: it and every later delivery are built again, in date order, not the first
    _run(load_command(series / second, raw, "--delivery", second), env)
    late = _run(build_command(), env)
    assert [line.split()[2] for line in _history_lines(late)] == [second]
    assert f"delivery {third} (as of" in late

    with _attached(replayed.folder) as connection:
        expected = _compared_tables(connection)
    with _attached(folder) as connection:
        built = _compared_tables(connection)
    assert sorted(built) == sorted(expected)
    assert len(expected) >= 20
    for table, columns in expected.items():
        assert built[table] == columns, table
        for one, other in ((folder, replayed.folder), (replayed.folder, folder)):
            missing = _rows_not_in(one, other, table, columns)
            assert missing == 0, f"{table}: {missing} rows of {one.name} not in {other.name}"
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as connection:
        reconciled = connection.execute(
            "select delivery, count(*), bool_and(is_reconciled) from quality.dq_reconciliation"
            " group by delivery order by delivery"
        ).fetchall()
    assert reconciled == [(label, 4, True) for label in (first, second, third)]
