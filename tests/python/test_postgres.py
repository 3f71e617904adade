"""The same dbt project on PostgreSQL: a throwaway server on loopback, the very dirty set built
there (every defect kind, ten times as often as in the sample), compared with its DuckDB build,
and the restricted zone refused to the BI role."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from scripts.build.postgres import dropped_leftovers
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from scripts.postgres_server import PostgresServer, throwaway_postgres
from tests.python.warehouse import (
    TEST_SECRET,
    Warehouse,
    build_command,
    load_command,
    mart_descriptions,
    mart_foreign_keys,
    passed_build,
    raw_rows,
)

pytestmark = pytest.mark.slow  # every test here builds on a PostgreSQL server of its own


@pytest.fixture(scope="module")
def postgres_warehouse(
    generated_dirty: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PostgresServer]:
    """The very dirty set (that of dirty_warehouse) loaded into a throwaway PostgreSQL server,
    built and published there (`python -m scripts.build --target postgres`)."""
    folder = tmp_path_factory.mktemp("postgres_warehouse")
    with throwaway_postgres() as server:
        env = {**dbt_environment(folder, TEST_SECRET, folder), **server.environment()}
        subprocess.run(
            load_command(generated_dirty, folder / "raw.duckdb", "--postgres-dsn", server.dsn()),
            cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        passed_build(env, "--target", "postgres")
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
    "disclosure_risk": "select quasi_identifier_set, region_level, region_code, unit,"
    " class_count, total_count, unique_count, k_below_3_count, k_below_5_count"
    " from quality.dq_disclosure_risk order by 1, 2, 3, 4",
    "priority": "select desil, priority_group, count(*), sum(priority_rank)"
    " from marts.dim_household where desil is not null"
    " group by desil, priority_group order by desil, priority_group",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_postgres_build_equals_the_duckdb_build(
    name: str, postgres_warehouse: PostgresServer, dirty_warehouse: Warehouse
) -> None:
    with dirty_warehouse.connect() as connection:
        expected = connection.execute(QUERIES[name]).fetchall()
    assert expected
    assert [tuple(row) for row in postgres_rows(postgres_warehouse, QUERIES[name])] == expected


def test_pseudonymous_keys_are_the_same_on_both_engines(
    postgres_warehouse: PostgresServer, dirty_warehouse: Warehouse
) -> None:
    query = (
        "select cast(individual_key as varchar), cast(person_key as varchar),"
        " cast(household_key as varchar) from marts.dim_individual"
    )
    with dirty_warehouse.connect() as connection:
        expected = set(connection.execute(query).fetchall())
    assert len(expected) > 12_000
    assert set(postgres_rows(postgres_warehouse, query)) == expected


def test_bi_role_reads_the_marts(postgres_warehouse: PostgresServer) -> None:
    for table in ("marts.dim_household", "quality.dq_reconciliation", "reference.programs"):
        [(count,)] = postgres_rows(
            postgres_warehouse, f"select count(*) from {table}", postgres_warehouse.bi_role
        )
        assert count > 0, table


def test_marts_carry_their_descriptions_as_comments_on_postgres(
    postgres_warehouse: PostgresServer, dirty_warehouse: Warehouse
) -> None:
    """persist_docs on PostgreSQL: every mart table and column has the description of the YAML
    (as rendered in the manifest of the DuckDB build of the same project) as its comment, and
    the comments survive the swap of the build schemas over the live ones."""
    marts = mart_descriptions(dirty_warehouse.folder / "target" / "manifest.json")
    rows = postgres_rows(
        postgres_warehouse,
        "select c.relname, a.attname, obj_description(c.oid, 'pg_class'),"
        " col_description(c.oid, a.attnum)"
        " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
        " where n.nspname in ('marts', 'quality') and c.relkind in ('r', 'v')",
        postgres_warehouse.bi_role,
    )
    tables = {table: comment for table, _, comment, _ in rows}
    columns = {(table, column): comment for table, column, _, comment in rows}
    for name, (description, column_descriptions) in marts.items():
        assert tables.get(name) == description, name
        for column, column_description in column_descriptions.items():
            assert columns.get((name, column)) == column_description, (name, column)


def test_marts_declare_their_foreign_keys_on_postgres(
    postgres_warehouse: PostgresServer, dirty_warehouse: Warehouse
) -> None:
    """The foreign keys of the marts' contracts (facts -> dimensions, as declared in the YAML and
    parsed into the manifest) exist in PostgreSQL's catalog after the swap, for BI tools to
    propose the joins; DuckDB's build of the same project has none (macro
    duckdb__get_table_columns_and_constraints), so that its dimensions can be rebuilt alone."""
    declared = mart_foreign_keys(dirty_warehouse.folder / "target" / "manifest.json")
    rows = postgres_rows(
        postgres_warehouse,
        "select c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname"
        " from pg_constraint c"
        " join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]"
        " join pg_attribute f on f.attrelid = c.confrelid and f.attnum = c.confkey[1]"
        " where c.contype = 'f' and c.connamespace = 'marts'::regnamespace",
    )
    created = {
        (table.removeprefix("marts."), column): (to.removeprefix("marts."), to_column)
        for table, column, to, to_column in rows
    }
    assert len(declared) >= 5
    assert created == declared
    with dirty_warehouse.connect() as connection:
        duckdb_foreign_keys = connection.execute(
            "select count(*) from duckdb_constraints() where constraint_type = 'FOREIGN KEY'"
        ).fetchone()
    assert duckdb_foreign_keys == (0,)


@pytest.mark.parametrize(
    "table",
    [
        "identity.identity_individuals",
        "identity.dq_rejected_rows",
        "intermediate.int_individuals__resolved",
        "staging.stg_bdt__individuals",
        "raw.bdt_individuals",
        "raw.bdt_individuals__typed",
    ],
)
def test_bi_role_is_refused_the_restricted_zone(
    postgres_warehouse: PostgresServer, table: str
) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        postgres_rows(postgres_warehouse, f"select 1 from {table} limit 1", "bdt_bi")
    assert postgres_rows(postgres_warehouse, f"select count(*) from {table}")[0][0] > 0


def _bi_snapshot(server: PostgresServer) -> tuple[int, int]:
    """One statement of a new BI session: BDT households in the marts and the raw rows the
    reconciliation vouches for."""
    [row] = postgres_rows(
        server,
        "select (select count(*) from marts.dim_household where household_source = 'BDT'),"
        " (select raw_rows from quality.dq_reconciliation where raw_table = 'bdt_households')",
        server.bi_role,
    )
    return row[0], row[1]


def test_a_publication_swaps_the_schemas_while_bi_sessions_read(
    generated_small: Path, generated_dirty: Path, tmp_path: Path
) -> None:
    """Build into <schema>__build, publish by renaming in one transaction: BI sessions see the
    previous warehouse until then and the new one after, never a half-built one; a session
    still reading the replaced tables only delays their drop."""
    with throwaway_postgres() as server:
        env = {**dbt_environment(tmp_path, TEST_SECRET, tmp_path), **server.environment()}

        def load(raw_dir: Path) -> None:
            subprocess.run(
                [*load_command(raw_dir, tmp_path / "raw.duckdb"), "--postgres-dsn", server.dsn()],
                cwd=PROJECT_DIR, env=env, check=True, capture_output=True, timeout=600,
            )  # fmt: skip

        build = build_command("--target", "postgres")
        load(generated_small)
        first = subprocess.run(build, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        assert first.returncode == 0, first.stdout[-4000:] + first.stderr
        before = _bi_snapshot(server)
        assert before[1] == len(raw_rows(generated_small, "bdt_rt"))
        load(generated_dirty)
        after_expected = len(raw_rows(generated_dirty, "bdt_rt"))
        # a BI session inside a transaction on the tables that the publication replaces
        holder = psycopg2.connect(server.dsn(server.bi_role))
        holder.cursor().execute("select count(*) from marts.dim_household")
        log = tmp_path / "build.log"
        seen = set()
        with log.open("w") as handle:
            second = subprocess.Popen(
                build, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
            while second.poll() is None:
                snapshot = _bi_snapshot(server)
                assert snapshot == before or snapshot[1] == after_expected, snapshot
                seen.add(snapshot == before)
                time.sleep(0.1)
        output = log.read_text()
        assert second.returncode == 0, output[-4000:]
        assert True in seen  # read during the build: the previous warehouse, whole
        assert "published the schemas" in output and "marts__old" in output
        assert _bi_snapshot(server)[1] == after_expected
        holder.rollback()
        holder.close()
        with closing(psycopg2.connect(server.dsn())) as owner:
            dropped = dropped_leftovers(owner)
        assert any("marts__old" in message for message in dropped)
        leftovers = postgres_rows(
            server, "select nspname from pg_namespace where nspname like '%\\_\\_%'"
        )
        assert leftovers == []
