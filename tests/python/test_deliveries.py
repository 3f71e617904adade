"""Two deliveries in one warehouse: the current marts show the latest, exactly as a warehouse of
that delivery alone; marts.dim_delivery and quality.dq_reconciliation count from the raw files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.python.warehouse import built_warehouse, raw_rows

pytestmark = pytest.mark.slow  # builds two warehouses

DROPPED_HOUSEHOLDS = 10


def _later_delivery(first: Path, folder: Path) -> Path:
    """A copy of the delivery `first` whose last households have left the registry."""
    shutil.copytree(first, folder, ignore=shutil.ignore_patterns("manifest*"))
    (households,) = folder.glob("bdt_rt*.csv")
    lines = households.read_bytes().splitlines(keepends=True)
    households.write_bytes(b"".join(lines[:-DROPPED_HOUSEHOLDS]))
    return folder


def _table_rows(connection: duckdb.DuckDBPyConnection, catalog: str, table: str) -> int:
    return connection.execute(f"select count(*) from {catalog}.{table}").fetchone()[0]


def test_the_current_marts_are_the_latest_delivery(generated_small: Path, tmp_path: Path) -> None:
    root = tmp_path / "deliveries"
    shutil.copytree(generated_small, root / "2015-07")
    later = _later_delivery(root / "2015-07", root / "2016-01")
    alone = tmp_path / "alone"
    shutil.copytree(later, alone / "2016-01")
    both = built_warehouse(root, tmp_path / "both")
    only_latest = built_warehouse(alone, tmp_path / "only_latest")

    with both.connect() as connection:
        deliveries = connection.execute(
            "select delivery, as_of_date, is_current, files_loaded, bdt_households_rows,"
            " bdt_individuals_rows from marts.dim_delivery order by as_of_date"
        ).fetchall()
        reconciliation = connection.execute(
            "select raw_table, delivery, raw_rows, is_reconciled from quality.dq_reconciliation"
            " order by raw_table"
        ).fetchall()
    expected = []
    for label, folder in (("2015-07", root / "2015-07"), ("2016-01", later)):
        files = [p for p in folder.glob("*.csv") if not p.name.startswith("manifest")]
        expected.append(
            (
                label,
                dt.date.fromisoformat(f"{label}-01"),
                label == "2016-01",
                len(files),
                len(raw_rows(folder, "bdt_rt")),
                len(raw_rows(folder, "bdt_art")),
            )
        )
    assert deliveries == expected
    assert expected[1][4] == expected[0][4] - DROPPED_HOUSEHOLDS
    raw_counts = {
        "bdt_households": len(raw_rows(later, "bdt_rt")),
        "bdt_individuals": len(raw_rows(later, "bdt_art")),
        "fkp_sls_results": len(raw_rows(later, "fkp")),
        "pkh_payments": len(raw_rows(later, "pkh")),
    }
    assert reconciliation == [
        (table, "2016-01", rows, True) for table, rows in sorted(raw_counts.items())
    ]

    # every mart (dim_delivery aside) equals that of a warehouse of the latest delivery alone
    connection = duckdb.connect()
    connection.execute(f"attach '{both.bi_database}' as both_ (read_only)")
    connection.execute(f"attach '{only_latest.bi_database}' as alone (read_only)")
    tables = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_catalog = 'alone' and table_schema in ('marts', 'quality')"
        " and table_name <> 'dim_delivery' order by 1"
    ).fetchall()
    assert len(tables) >= 10
    for (table,) in tables:
        for first, second in (("both_", "alone"), ("alone", "both_")):
            difference = connection.execute(
                f"select count(*) from (select * from {first}.{table}"
                f" except all select * from {second}.{table})"
            ).fetchone()[0]
            assert difference == 0, f"{table}: {difference} rows of {first} not in {second}"
        assert _table_rows(connection, "both_", table) == _table_rows(connection, "alone", table)
