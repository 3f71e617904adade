"""Two deliveries in one warehouse: the current marts show the latest, exactly as a warehouse of
that delivery alone; marts.dim_delivery and quality.dq_reconciliation (one row per raw table and
delivery) count from the raw files."""

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
            " order by raw_table, delivery"
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
    expected_reconciliation = []
    for label, folder in (("2015-07", root / "2015-07"), ("2016-01", later)):
        raw_counts = {
            "bdt_households": len(raw_rows(folder, "bdt_rt")),
            "bdt_individuals": len(raw_rows(folder, "bdt_art")),
            "fkp_sls_results": len(raw_rows(folder, "fkp")),
            "pkh_payments": len(raw_rows(folder, "pkh")),
        }
        expected_reconciliation += [(t, label, n, True) for t, n in sorted(raw_counts.items())]
    assert reconciliation == sorted(expected_reconciliation, key=lambda row: row[:2])

    # every current mart equals that of a warehouse of the latest delivery alone; the tables
    # of the history (those with a column naming a delivery) hold the earlier one as well
    connection = duckdb.connect()
    connection.execute(f"attach '{both.bi_database}' as both_ (read_only)")
    connection.execute(f"attach '{only_latest.bi_database}' as alone (read_only)")
    tables = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables as t"
        " where table_catalog = 'alone' and table_schema in ('marts', 'quality')"
        " and not exists (select 1 from information_schema.columns as c"
        "  where c.table_catalog = t.table_catalog and c.table_schema = t.table_schema"
        "  and c.table_name = t.table_name and c.column_name like '%delivery%')"
        " order by 1"
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
