"""The same dbt project on PostgreSQL: a throwaway server on loopback, the sample built there,
compared with the DuckDB build, and the restricted zone refused to the BI role."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from scripts.postgres_server import PostgresServer, throwaway_postgres
from tests.python.warehouse import REFERENCE_DIR, TEST_SECRET, Warehouse


@pytest.fixture(scope="module")
def postgres_warehouse(
    generated_sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PostgresServer]:
    """The sample loaded into a throwaway PostgreSQL server, built and published there
    (`python -m scripts.build --target postgres`)."""
    folder = tmp_path_factory.mktemp("postgres_warehouse")
    with throwaway_postgres() as server:
        env = {**dbt_environment(folder, TEST_SECRET, folder), **server.environment()}
        subprocess.run(
            [sys.executable, "-m", "scripts.load", "--raw-dir", str(generated_sample),
             "--reference-dir", str(REFERENCE_DIR), "--out", str(folder / "raw.duckdb"),
             "--postgres-dsn", server.dsn(), "--no-progress"],
            cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        build = subprocess.run(
            [sys.executable, "-m", "scripts.build", "--target", "postgres"],
            cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
        assert build.returncode == 0, f"build on PostgreSQL failed:\n{build.stdout[-6000:]}"
        yield server


def postgres_rows(server: PostgresServer, query: str, user: str | None = None) -> list[tuple]:
    with psycopg2.connect(server.dsn(user)) as connection, connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


QUERIES = {
    "reconciliation": "select raw_table, raw_rows, mart_rows, quarantined_rows"
    " from quality.dq_reconciliation order by raw_table",
    "households": "select household_source, count(*), sum(member_count), count(desil)"
    " from marts.dim_household group by household_source order by household_source",
    "rules": "select rule_code, raw_table, row_count, cell_count from quality.dq_rule_counts"
    " where row_count > 0 order by rule_code, raw_table",
    "spells": "select program_code, spell_source, count(*), sum(stage_count)"
    " from marts.fct_program_spells group by program_code, spell_source"
    " order by program_code, spell_source",
    "priority": "select desil, priority_group, count(*), sum(priority_rank)"
    " from marts.dim_household where desil is not null"
    " group by desil, priority_group order by desil, priority_group",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_postgres_build_equals_the_duckdb_build(
    name: str, postgres_warehouse: PostgresServer, sample_warehouse: Warehouse
) -> None:
    with sample_warehouse.connect() as connection:
        expected = connection.execute(QUERIES[name]).fetchall()
    assert expected
    assert [tuple(row) for row in postgres_rows(postgres_warehouse, QUERIES[name])] == expected


def test_pseudonymous_keys_are_the_same_on_both_engines(
    postgres_warehouse: PostgresServer, sample_warehouse: Warehouse
) -> None:
    query = (
        "select cast(individual_key as varchar), cast(person_key as varchar),"
        " cast(household_key as varchar) from marts.dim_individual"
    )
    with sample_warehouse.connect() as connection:
        expected = set(connection.execute(query).fetchall())
    assert len(expected) > 60_000
    assert set(postgres_rows(postgres_warehouse, query)) == expected


def test_bi_role_reads_the_marts(postgres_warehouse: PostgresServer) -> None:
    for table in ("marts.dim_household", "quality.dq_reconciliation", "reference.programs"):
        [(count,)] = postgres_rows(
            postgres_warehouse, f"select count(*) from {table}", postgres_warehouse.bi_role
        )
        assert count > 0, table


@pytest.mark.parametrize(
    "table",
    [
        "identity.identity_individuals",
        "identity.dq_rejected_rows",
        "intermediate.int_individuals__resolved",
        "staging.stg_bdt__individuals",
        "raw.bdt_individuals",
    ],
)
def test_bi_role_is_refused_the_restricted_zone(
    postgres_warehouse: PostgresServer, table: str
) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        postgres_rows(postgres_warehouse, f"select 1 from {table} limit 1", "bdt_bi")
    assert postgres_rows(postgres_warehouse, f"select count(*) from {table}")[0][0] > 0
