"""The history over deliveries (models/marts/history) recovers the generator's changes.

A 3-delivery series (Kota Tanjung Balai profile, 3,000 households, 12 months apart) is loaded
and built by the builder (`python -m scripts.build`: `dbt build --vars '{delivery: <label>}'`
per delivery in date order, the working database kept between the runs, then a plain
`dbt build`). Every change
kind of each delivery's manifest_changes.csv is then compared with the history marts. The
expectations come from the generator's manifests (manifest_changes.csv, manifest_defects.csv)
and the raw files, never from the SQL under test.

What the raw files cannot tell, and is therefore asserted as a bound (README, "History"):
- the three exit kinds (moved away, deceased, graduated) and the two entry kinds (FKP addition,
  new registration) look the same in the files: their totals are compared;
- a member is followed across households by a valid NIK unique within its delivery only, so a
  mover or split member whose NIK carries a defect (15 digits, a letter, scientific notation, or
  a duplicate) in either delivery cannot be followed: its move is missed and it shows as a
  death in the household it left (and as 'joined' where it arrived). Those, and only those, are
  allowed to differ;
- a NIK with a random defect in one delivery and clean in the next reads as a correction: the
  corrections found are the manifest's plus members with a NIK defect in the delivery before.
"""

from __future__ import annotations

import collections
import csv
import itertools
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from tests.python.warehouse import (
    TEST_SECRET,
    build_command,
    load_command,
    pseudonym,
    run_generator,
)

pytestmark = pytest.mark.slow  # builds a warehouse delivery by delivery

DELIVERIES = ("2015-07", "2016-07", "2017-07")
ENTRY_KINDS = ("entry_fkp_addition", "entry_new_registration")
EXIT_KINDS = ("exit_moved_away", "exit_deceased", "exit_graduated")
# Defects after which a NIK is no evidence in that delivery: invalid, or held by two rows.
NIK_INVALID_DEFECTS = ("nik_15_digits", "nik_letters", "nik_scientific_notation")
NIK_DUPLICATE_DEFECTS = ("nik_duplicate_across_households", "nik_duplicate_within_household")
# What is compared: every table the BI database and the restricted one hold for the project.
COMPARED_SCHEMAS = {"bdt": ("marts", "quality"), "pii": ("intermediate", "identity")}
# Columns that say when something ran, which differ between any two builds.
RUN_TIME_TYPES = ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP")


def _household(idbdt: str) -> str | None:
    return pseudonym(TEST_SECRET, "rt", idbdt) if idbdt else None


def _member(idartbdt: str) -> str | None:
    return pseudonym(TEST_SECRET, "art", idartbdt) if idartbdt else None


def _band(value: str) -> int | None:
    """The manifest's desil band (0 = above 40) as the marts' desil (null outside 1-4)."""
    return int(value) or None


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.lower(): v for k, v in row.items()} for row in csv.DictReader(handle)]


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run a command of the project; its output (it must succeed)."""
    done = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1200
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-6000:]}{done.stderr[-3000:]}"
    return done.stdout


def _built_at_once(raw: Path, folder: Path, artefacts: Path) -> float:
    """Load the whole series into `folder`, then build it with the builder (`python -m
    scripts.build`: dbt once per delivery, oldest first, then the latest); the build's
    seconds."""
    env = dbt_environment(folder, TEST_SECRET, artefacts)
    folder.mkdir(parents=True)
    _run(load_command(raw, folder / "raw.duckdb"), env)
    started = time.monotonic()
    _run(build_command(), env)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("history") / "raw"
    run_generator(
        out, "--profile", "tanjungbalai", "--households", "3000", "--deliveries", "3",
        "--interval-months", "12",
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def history(series: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published BI database of the series loaded at once and built by the builder."""
    root = tmp_path_factory.mktemp("history_build")
    seconds = _built_at_once(series, root / "warehouse", root)
    print(f"history build (3 dbt runs): {seconds:.1f} s")
    return root / "warehouse" / "bdt.duckdb"


def _rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _hex(column: str) -> str:
    return f"replace(cast({column} as varchar), '-', '')"


class Manifest:
    """One delivery's manifest_changes.csv by kind, and the members whose NIK is no evidence
    in it or in the delivery before (manifest_defects.csv and, for a duplicated NIK, the rows
    of the raw file holding the same NIK)."""

    def __init__(self, raw: Path, label: str, previous: str) -> None:
        self.by_kind: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
        for row in _csv(raw / label / "manifest_changes.csv"):
            self.by_kind[row["kind"]].append(row)
        self.disturbed = _nik_disturbed(raw / label) | _nik_disturbed(raw / previous)
        self.invalid_before = {
            row["key"]
            for row in _csv(raw / previous / "manifest_defects.csv")
            if row["kind"] in NIK_INVALID_DEFECTS
        }

    def rows(self, *kinds: str) -> list[dict[str, str]]:
        return [row for kind in kinds for row in self.by_kind[kind]]

    def is_disturbed(self, row: dict[str, str]) -> bool:
        return bool({row["idartbdt_before"], row["idartbdt_after"]} & self.disturbed)


def _nik_disturbed(folder: Path) -> set[str]:
    """IDARTBDTs of a delivery whose NIK is invalid or duplicated by a defect."""
    defects = _csv(folder / "manifest_defects.csv")
    keys = {row["key"] for row in defects if row["kind"] in NIK_INVALID_DEFECTS}
    duplicated = {row["key"] for row in defects if row["kind"] in NIK_DUPLICATE_DEFECTS}
    members = [row for path in folder.glob("bdt_art*.csv") for row in _csv(path)]
    copied_niks = {row["nik"].strip() for row in members if row["idartbdt"].strip() in duplicated}
    keys |= {row["idartbdt"].strip() for row in members if row["nik"].strip() in copied_niks}
    return keys | duplicated


@pytest.fixture(scope="module")
def manifests(series: Path) -> dict[str, Manifest]:
    return {
        label: Manifest(series, label, previous)
        for previous, label in itertools.pairwise(DELIVERIES)
    }


def _events(database: Path, label: str, event: str) -> set[tuple]:
    rows = _rows(
        database,
        f"select {_hex('individual_key')}, {_hex('household_key_before')},"
        f" {_hex('household_key_after')} from marts.fct_member_changes"
        f" where delivery = '{label}' and event_kind = '{event}'",
    )
    return set(rows)


def test_households_links_and_statuses(history: Path, manifests: dict[str, Manifest]) -> None:
    for label, manifest in manifests.items():
        links = set(
            _rows(
                history,
                f"select link_kind, {_hex('predecessor_household_key')},"
                f" {_hex('successor_household_key')} from marts.fct_household_links"
                f" where delivery = '{label}'",
            )
        )
        expected = {
            ("reregistration", _household(r["idbdt_before"]), _household(r["idbdt_after"]))
            for r in manifest.rows("reregistration")
        } | {
            ("split", _household(r["idbdt_before"]), _household(r["idbdt_after"]))
            for r in manifest.rows("household_split")
        }
        # every re-registration and split with its right predecessor or parent, no false link
        assert links == expected, label
        changes = _rows(
            history,
            f"select {_hex('household_key')}, is_entered, is_exited, is_split,"
            f" {_hex('split_parent_household_key')}, is_reregistered,"
            f" {_hex('reregistered_from_household_key')}"
            f" from marts.fct_household_changes where delivery = '{label}'",
        )
        entered = {row[0] for row in changes if row[1]}
        exited = {row[0] for row in changes if row[2]}
        assert entered == {_household(r["idbdt_after"]) for r in manifest.rows(*ENTRY_KINDS)}
        assert exited == {_household(r["idbdt_before"]) for r in manifest.rows(*EXIT_KINDS)}
        assert {(row[0], row[4]) for row in changes if row[3]} == {
            (successor, predecessor) for kind, predecessor, successor in expected if kind == "split"
        }
        assert {(row[0], row[6]) for row in changes if row[5]} == {
            (successor, predecessor)
            for kind, predecessor, successor in expected
            if kind == "reregistration"
        }
        statuses = dict(
            _rows(
                history,
                "select delivery_status, count(*) from marts.fct_household_deliveries"
                f" where delivery = '{label}' group by delivery_status",
            )
        )
        assert statuses.get("new", 0) == len(manifest.rows(*ENTRY_KINDS))
        assert statuses.get("split", 0) == len(manifest.rows("household_split"))
        assert statuses.get("reregistered", 0) == len(manifest.rows("reregistration"))
        assert "returned" not in statuses  # the generator never brings an IDBDT back


def test_desil_transitions(history: Path, manifests: dict[str, Manifest]) -> None:
    for label, manifest in manifests.items():
        found = collections.Counter(
            _rows(
                history,
                "select desil_before, desil_after from marts.fct_household_changes"
                f" where delivery = '{label}' and is_desil_moved",
            )
        )
        expected = collections.Counter(
            (_band(r["desil_before"]), _band(r["desil_after"]))
            for r in manifest.rows("desil_change")
            if _band(r["desil_before"]) != _band(r["desil_after"])
        )
        assert found == expected, label
        assert sum(expected.values()) > 0


def test_member_events(history: Path, manifests: dict[str, Manifest]) -> None:
    for label, manifest in manifests.items():
        births = {
            (_member(r["idartbdt_after"]), None, _household(r["idbdt_after"]))
            for r in manifest.rows("birth")
        }
        assert _events(history, label, "birth") == births, label

        split_members = {
            (
                _member(r["idartbdt_after"]),
                _household(r["idbdt_before"]),
                _household(r["idbdt_after"]),
            )
            for r in manifest.rows("split_member")
        }
        assert _events(history, label, "split_member") == split_members, label

        moves = {
            (
                _member(r["idartbdt_after"]),
                _household(r["idbdt_before"]),
                _household(r["idbdt_after"]),
            ): manifest.is_disturbed(r)
            for r in manifest.rows("member_moved")
        }
        found_moves = _events(history, label, "moved")
        assert found_moves <= set(moves), label  # no false move
        missed = set(moves) - found_moves
        assert all(moves[m] for m in missed), f"{label}: moves missed with clean NIKs"

        # a member who moved or split off with a disturbed NIK shows as a death where it was
        # and as 'joined' where it arrived; nothing else may differ
        lost = [
            r for r in manifest.rows("member_moved", "split_member") if manifest.is_disturbed(r)
        ]
        deaths = {
            (_member(r["idartbdt_before"]), _household(r["idbdt_before"]), None)
            for r in manifest.rows("death")
        }
        found_deaths = _events(history, label, "death")
        assert deaths <= found_deaths, label
        allowed = {
            (_member(r["idartbdt_before"]), _household(r["idbdt_before"]), None) for r in lost
        }
        assert found_deaths - deaths <= allowed, label
        joined = {key for key, _, _ in _events(history, label, "joined")}
        assert joined <= {_member(r["idartbdt_after"]) for r in lost}, label

        corrections = {
            (
                _member(r["idartbdt_after"]),
                _household(r["idbdt_before"]),
                _household(r["idbdt_after"]),
            )
            for r in manifest.rows("nik_corrected")
        }
        found_corrections = _events(history, label, "nik_corrected")
        assert corrections <= found_corrections, label
        assert {key for key, _, _ in found_corrections - corrections} <= {
            _member(key) for key in manifest.invalid_before
        }, label


def test_reconciliation_per_delivery(history: Path, series: Path) -> None:
    """Households per delivery = the raw household rows; each delivery = the one before +
    entries, splits and re-registrations - exits and re-registered predecessors."""
    counts = dict(
        _rows(
            history,
            "select delivery, count(*) from marts.fct_household_deliveries group by delivery",
        )
    )
    for label in DELIVERIES:
        raw_rows = sum(len(_csv(p)) for p in (series / label).glob("bdt_rt*.csv"))
        assert counts[label] == raw_rows, label
    balance = _rows(
        history,
        "select delivery, count(case when is_entered or is_split or is_reregistered then 1 end),"
        " count(case when is_exited or reregistered_as_household_key is not null then 1 end)"
        " from marts.fct_household_changes group by delivery order by delivery",
    )
    for (label, came, went), previous in zip(balance, DELIVERIES, strict=False):
        assert counts[label] == counts[previous] + came - went, label
    assert [row[0] for row in balance] == list(DELIVERIES[1:])


def test_household_history_intervals(history: Path) -> None:
    """SCD2: versions of a household neither overlap nor leave a gap while it is present; one
    current version per household of the latest delivery, none for the others; freshness for
    exactly the households of the latest delivery."""
    overlaps_or_gaps = _rows(
        history,
        """
        with ordered as (
            select household_key, version_number, valid_from, valid_to, closed_by_delivery,
                lead(valid_from) over (partition by household_key order by version_number)
                    as next_from
            from marts.dim_household_history
        ),
        presence as (
            select household_key, delivery from marts.fct_household_deliveries
        )
        select ordered.*
        from ordered
        where ordered.next_from < ordered.valid_to
            or (ordered.next_from > ordered.valid_to and exists (
                select 1 from presence
                where presence.household_key = ordered.household_key
                    and presence.delivery = ordered.closed_by_delivery))
            or (ordered.valid_to is null and ordered.next_from is not null)
        """,
    )
    assert overlaps_or_gaps == []
    current = _rows(
        history,
        "select count(*), count(distinct household_key) from marts.dim_household_history"
        " where is_current",
    )[0]
    latest = _rows(
        history,
        "select count(*) from marts.fct_household_deliveries where delivery = '2017-07'",
    )[0][0]
    assert current == (latest, latest)
    freshness = _rows(
        history,
        "select count(*), min(months_since_change), max(months_since_change),"
        " count(case when is_due_for_reverification then 1 end)"
        " from marts.fct_household_freshness",
    )[0]
    assert freshness[0] == latest
    assert (freshness[1], freshness[2]) == (0, 24)
    assert 0 < freshness[3] < latest


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


def test_deliveries_built_as_they_arrive_equal_a_build_of_all(
    series: Path, history: Path, tmp_path: Path
) -> None:
    """Deliveries loaded and built one at a time as they arrive, the second one late, give the
    same tables, row for row, as all of them loaded first and built at once (every table of
    marts, quality, intermediate and identity, EXCEPT ALL both ways, run times aside); a new
    delivery is built alone, a late one with the later ones only."""
    first, second, third = DELIVERIES
    replayed = history.parent
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

    with _attached(replayed) as connection:
        expected = _compared_tables(connection)
    with _attached(folder) as connection:
        built = _compared_tables(connection)
    assert sorted(built) == sorted(expected)
    assert len(expected) >= 20
    for table, columns in expected.items():
        assert built[table] == columns, table
        for one, other in ((folder, replayed), (replayed, folder)):
            missing = _rows_not_in(one, other, table, columns)
            assert missing == 0, f"{table}: {missing} rows of {one.name} not in {other.name}"
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as connection:
        reconciled = connection.execute(
            "select delivery, count(*), bool_and(is_reconciled) from quality.dq_reconciliation"
            " group by delivery order by delivery"
        ).fetchall()
    assert reconciled == [(label, 4, True) for label in (first, second, third)]
