"""Operating the warehouse as people do: dbt run directly from the project folder, builds that
never lock out or mislead readers (write, audit, publish), loads that overlap or crash, and
restricted files readable by their owner only."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import duckdb
import pytest

from scripts.build.paths import WarehouseFolder
from scripts.build.publication import finished_interrupted_publication
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_environment
from scripts.restricted_files import is_owner_only
from tests.python.warehouse import (
    TEST_SECRET,
    Warehouse,
    build_command,
    load_command,
    pseudonym,
    raw_rows,
    with_everyday_umask,
)

VENV_BIN = Path(sys.executable).parent
FILE_SECRET = "a-secret-kept-in-the-secrets-file-0123"
ENVIRONMENT_SECRET = "a-secret-from-the-environment-456789"
POLL_SECONDS = 0.05


def activated_environment(**extra: str) -> dict[str, str]:
    """The environment of a shell where `source .venv/bin/activate` ran, without any of the
    variables that make or the tests set (DBT_*, BDT_*, PYTHONPATH)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBT_", "BDT_")) and key != "PYTHONPATH"
    }
    environment["PATH"] = f"{VENV_BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment["VIRTUAL_ENV"] = str(VENV_BIN.parent)
    return {**environment, **extra}


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files as a clone has them (with the working tree's changes), the shared
    reference data beside it, nothing generated yet."""
    root = tmp_path_factory.mktemp("clone")
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_DIR, capture_output=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listing.decode().split("\0")):
        source = PROJECT_DIR / name
        if source.is_file():
            target = root / "project" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (root / "shared").symlink_to(PROJECT_DIR.parent / "shared")
    return root / "project"


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def household_keys_follow(build_folder: Path, secret: str) -> int:
    """How many BDT households of the build have the key computed here from their IDBDT under
    `secret` (asserting that all of them do, in the identity store and in dim_household)."""
    with duckdb.connect(str(build_folder / "pii.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select household_id, cast(household_key as varchar)"
            " from identity.identity_households where household_source = 'BDT'"
        ).fetchall()
    with duckdb.connect(str(build_folder / "bdt.duckdb"), read_only=True) as connection:
        marts = connection.execute(
            "select cast(household_key as varchar) from marts.dim_household"
            " where household_source = 'BDT'"
        ).fetchall()
    expected = {pseudonym(secret, "rt", household_id) for household_id, _ in rows}
    assert {key.replace("-", "") for _, key in rows} == expected
    assert {key.replace("-", "") for (key,) in marts} == expected
    return len(expected)


@pytest.mark.slow
def test_dbt_runs_directly_from_the_project_folder(
    project_copy: Path, generated_small: Path
) -> None:
    """With .venv activated and no other variable, every everyday dbt command works from the
    project folder; without a secret or a raw layer it says what to do, in a few lines."""

    def run(*command: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(command), cwd=project_copy, env=activated_environment(**extra),
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    for command in (("dbt", "debug"), ("dbt", "build")):
        result = run(*command)
        assert result.returncode != 0
        assert "no pseudonymisation secret: set BDT_PERSON_KEY" in _output(result)
        assert "make secret" in _output(result) and "Traceback" not in _output(result)
    (project_copy / ".secrets").mkdir()
    (project_copy / ".secrets" / "person_key").write_text(FILE_SECRET + "\n", encoding="utf-8")
    missing_raw = run("dbt", "build")
    assert missing_raw.returncode != 0
    assert "the raw layer warehouse/raw.duckdb is missing" in _output(missing_raw)
    assert "make load" in _output(missing_raw) and "Traceback" not in _output(missing_raw)
    assert not list(project_copy.rglob("*.duckdb")), "a database was left behind"

    load = run(
        "python", "-m", "scripts.load", "--raw-dir", str(generated_small),
        "--reference-dir", "../shared/reference", "--out", "warehouse/raw.duckdb", "--no-progress",
    )  # fmt: skip
    assert load.returncode == 0, _output(load)
    everyday = (
        ("debug",),
        ("build",),
        ("build", "-s", "+dim_household"),
        ("test", "-s", "dim_household"),
        ("ls", "-s", "marts"),
        ("docs", "generate"),
        ("run", "-s", "dim_program", "--vars", "{target_desil_max: 10}"),
        ("retry",),
    )
    for arguments in everyday:
        result = run("dbt", *arguments)
        assert result.returncode == 0, f"dbt {' '.join(arguments)}:\n{_output(result)[-4000:]}"
        if arguments[0] == "ls":
            assert "bdt_warehouse.marts.registry.dim_household" in result.stdout
    assert (project_copy / "target" / "catalog.json").is_file()
    build_folder = project_copy / "warehouse" / "build"
    assert household_keys_follow(build_folder, FILE_SECRET) > 250
    # BDT_PERSON_KEY, when set, comes before the file (models only: keys of a part rebuilt under
    # another secret no longer join the rest, which the relationship tests would say)
    rebuilt = run(
        "dbt",
        "run",
        "-s",
        "+dim_household",
        "+identity_households",
        BDT_PERSON_KEY=ENVIRONMENT_SECRET,
    )
    assert rebuilt.returncode == 0, _output(rebuilt)[-4000:]
    assert household_keys_follow(build_folder, ENVIRONMENT_SECRET) > 250
    # dbt wrote only its build folder: nothing is published until `make build`
    assert not (project_copy / "warehouse" / "bdt.duckdb").exists()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def published_copy(published: Warehouse, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of a published warehouse folder in `tmp_path`, and the environment of the
    project's commands on it."""
    folder = tmp_path / "warehouse"
    shutil.copytree(published.folder, folder)
    return folder, dbt_environment(folder, TEST_SECRET, tmp_path)


def _load_into(folder: Path, env: dict[str, str], raw_dir: Path) -> None:
    """Load `raw_dir` as the raw layer of the warehouse `folder`."""
    subprocess.run(
        load_command(raw_dir, folder / "raw.duckdb"), cwd=PROJECT_DIR, env=env, check=True,
        capture_output=True,
    )  # fmt: skip


def _build_in_background(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    """`python -m scripts.build` started with its output into `log`, in a process group of its
    own (so that a test can kill it with its dbt child)."""
    return subprocess.Popen(
        build_command(), cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def test_restricted_files_are_owner_only_whatever_the_umask(
    publication_warehouse: Warehouse,
) -> None:
    """A warehouse generated, loaded, built and published by the project's commands, each run
    under umask 022 (built_warehouse): the restricted files are owner-only all the same."""
    raw_dir, folder = publication_warehouse.raw_dir, publication_warehouse.folder
    assert _mode(raw_dir) == 0o700
    assert {_mode(path) for path in raw_dir.iterdir()} == {0o600}
    for restricted in ("raw.duckdb", "pii.duckdb", "raw.duckdb.lock", "build.lock"):
        assert _mode(folder / restricted) == 0o600, restricted
    for restricted_folder in ("build", "duckdb_tmp"):
        assert _mode(folder / restricted_folder) == 0o700, restricted_folder
    # the BI database may be read by BI tools running as other users
    assert _mode(folder / "bdt.duckdb") == 0o644


def _snapshot(connection: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """What a BI reader sees: BDT households in the marts, and the raw rows that the
    reconciliation vouches for."""
    row = connection.execute(
        "select (select count(*) from marts.dim_household where household_source = 'BDT'),"
        " (select raw_rows from quality.dq_reconciliation where raw_table = 'bdt_households')"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_reader_never_blocks_a_build_nor_sees_it_half_done(
    tmp_path: Path, publication_warehouse: Warehouse, generated_dirty: Path
) -> None:
    folder, env = published_copy(publication_warehouse, tmp_path)
    with duckdb.connect(str(folder / "bdt.duckdb")) as writer:  # a mart the project dropped
        writer.execute("create table marts.renamed_mart as select 1 as stale")
        writer.execute("create schema analyst_notes")  # not the project's: left alone
        writer.execute("create table analyst_notes.kept as select 1 as note")
    reader = duckdb.connect(str(folder / "bdt.duckdb"), read_only=True)
    before = _snapshot(reader)
    assert before[1] == len(raw_rows(publication_warehouse.raw_dir, "bdt_rt"))
    _load_into(folder, env, generated_dirty)
    log = tmp_path / "build.log"
    with log.open("w") as handle:
        build = _build_in_background(env, handle)
        reads = 0
        while build.poll() is None:
            assert _snapshot(reader) == before  # the previous build, whole, during the build
            reads += 1
            time.sleep(POLL_SECONDS)
    output = log.read_text()
    assert build.returncode == 0, output[-4000:]
    assert reads >= 20
    assert _snapshot(reader) == before  # until it reconnects
    reader.close()
    assert "dropped what the project no longer makes: bdt.marts.renamed_mart" in output
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as fresh:
        after = _snapshot(fresh)
        tables = fresh.execute(
            "select schema_name || '.' || table_name from duckdb_tables()"
            " where table_name in ('renamed_mart', 'kept')"
        ).fetchall()
        assert tables == [("analyst_notes.kept",)]
        reconciliation = fresh.execute(
            "select raw_table, raw_rows, mart_rows, quarantined_rows from quality.dq_reconciliation"
        ).fetchall()
        (top_rule,) = fresh.execute(
            "select rule_code from quality.dq_rule_counts where action = 'quarantined'"
            " order by row_count desc, rule_code limit 1"
        ).fetchone() or ("",)
    assert after[1] == len(raw_rows(generated_dirty, "bdt_rt")) != before[1]
    # the summary at the end: every raw table, loaded = the rows of its raw files
    raw_file_rows = {
        "bdt_households": len(raw_rows(generated_dirty, "bdt_rt")),
        "bdt_individuals": len(raw_rows(generated_dirty, "bdt_art")),
        "pkh_payments": len(raw_rows(generated_dirty, "pkh")),
    }
    for table, loaded, kept, quarantined in reconciliation:
        assert re.search(rf"^{table} +{loaded:,} +{kept:,} +{quarantined:,}$", output, re.M)
        assert loaded == raw_file_rows.get(table, loaded)
    assert sum(q for *_, q in reconciliation) > 0
    assert re.search(rf"^  {top_rule} +quarantined", output, re.M)
    assert "identity.dq_rejected_rows" in output


def _file_digests(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in ("bdt.duckdb", "pii.duckdb")
    }


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(POLL_SECONDS)


def test_a_killed_or_failed_build_leaves_the_published_warehouse_as_it_was(
    tmp_path: Path, publication_warehouse: Warehouse, generated_dirty: Path
) -> None:
    folder, env = published_copy(publication_warehouse, tmp_path)
    published_files = _file_digests(folder)
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as connection:
        before = _snapshot(connection)
    _load_into(folder, env, generated_dirty)
    # killed once the new marts are being written
    log = tmp_path / "killed.log"
    with log.open("w") as handle:
        build = _build_in_background(env, handle)
        _wait_for(lambda: "OK created sql table model marts." in log.read_text(), "the marts")
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert _file_digests(folder) == published_files
    assert (folder / "build" / "bdt.duckdb").exists()  # kept for inspection, not published
    # a model that fails: nothing published either, and the message says what was kept
    failed = subprocess.run(
        build_command("--vars", "{date_spine_start: not-a-date}"), cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert failed.returncode != 0
    assert "nothing was published" in failed.stderr
    assert f"the published warehouse {folder / 'bdt.duckdb'}" in failed.stderr
    assert _file_digests(folder) == published_files
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as connection:
        assert _snapshot(connection) == before
    # the next build starts anew and publishes
    rebuilt = subprocess.run(
        build_command(), cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900
    )
    assert rebuilt.returncode == 0, _output(rebuilt)[-4000:]
    with duckdb.connect(str(folder / "bdt.duckdb"), read_only=True) as connection:
        assert _snapshot(connection)[1] == len(raw_rows(generated_dirty, "bdt_rt"))


def _database_with_version(path: Path, version: int) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table build_version as select ? as version", [version])


def _version(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select version from build_version").fetchone()[0]


def test_a_publication_interrupted_between_its_renames_is_completed_next_time(
    tmp_path: Path,
) -> None:
    folder = WarehouseFolder(tmp_path)
    folder.build.mkdir()
    for name in ("bdt.duckdb", "pii.duckdb"):
        _database_with_version(folder.root / name, 1)
        _database_with_version(folder.build / name, 2)
    # killed after the journal and the first rename
    folder.publication_journal.write_text(
        '{"databases": ["pii.duckdb", "bdt.duckdb"], "started_utc": "2026-12-02T00:00:00"}'
    )
    os.replace(folder.build / "pii.duckdb", folder.restricted)
    assert (_version(folder.restricted), _version(folder.bi)) == (2, 1)
    messages = finished_interrupted_publication(folder)
    assert len(messages) == 1 and "completed the publication" in messages[0]
    assert (_version(folder.restricted), _version(folder.bi)) == (2, 2)
    assert not folder.publication_journal.exists() and not list(folder.build.iterdir())
    assert finished_interrupted_publication(folder) == []


def _bad_copy(raw_dir: Path, folder: Path) -> Path:
    """`raw_dir` copied, with a broken last line in its individuals file."""
    shutil.copytree(raw_dir, folder)
    (individuals,) = folder.glob("bdt_art*.csv")
    with individuals.open("a", encoding="utf-8") as handle:
        handle.write("1,2,3\n")
    return folder


def _raw_files_loaded(out: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(out), read_only=True) as connection:
        rows = connection.execute(
            "select file, rows, sha256 from raw.raw._load_files"
            " where skipped_reason is null and \"table\" not like 'ref_%'"
        ).fetchall()
    return {file: (count, digest) for file, count, digest in rows}


def test_two_loads_at_once_leave_exactly_one_complete_load(
    tmp_path: Path, generated_small: Path
) -> None:
    bad = _bad_copy(generated_small, tmp_path / "bad")
    out = tmp_path / "warehouse" / "raw.duckdb"
    env = {**os.environ, "BDT_LOCK_WAIT": "600"}
    loads = [
        subprocess.Popen(
            load_command(raw_dir, out),
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for raw_dir in (generated_small, bad)
    ]
    (_, good_err), (_, bad_err) = (load.communicate(timeout=600) for load in loads)
    assert loads[0].returncode == 0, good_err
    assert loads[1].returncode == 2 and "3 fields where the header has" in bad_err
    expected = {
        path.name: (
            sum(1 for _ in raw_rows(generated_small, path.name.removesuffix(".csv"))),
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in generated_small.glob("*.csv")
        if not path.name.startswith("manifest")
    }
    assert _raw_files_loaded(out) == expected
    with duckdb.connect(str(out), read_only=True) as connection:
        assert connection.execute("select count(*) from raw.raw._load").fetchone() == (1,)
    assert sorted(p.name for p in out.parent.iterdir()) == ["raw.duckdb", "raw.duckdb.lock"]


def test_a_second_load_stops_naming_the_one_running(tmp_path: Path, generated_sample: Path) -> None:
    out = tmp_path / "warehouse" / "raw.duckdb"
    lock = out.with_name("raw.duckdb.lock")
    first = subprocess.Popen(
        load_command(generated_sample, out), cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for(lambda: lock.exists() and lock.stat().st_size > 0, "the first load's lock", 60)
    second = subprocess.run(
        load_command(generated_sample, out), cwd=PROJECT_DIR, capture_output=True, text=True,
        env={key: value for key, value in os.environ.items() if key != "BDT_LOCK_WAIT"},
    )  # fmt: skip
    assert first.wait(timeout=600) == 0
    assert second.returncode == 2
    assert f"another writer holds the lock: pid {first.pid} (load:" in second.stderr
    assert "Traceback" not in second.stderr


def test_a_killed_load_leaves_nothing_readable_and_the_next_load_cleans_up(
    tmp_path: Path, generated_sample: Path
) -> None:
    out = tmp_path / "warehouse" / "raw.duckdb"
    load = subprocess.Popen(
        load_command(generated_sample, out), cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, preexec_fn=with_everyday_umask,
    )  # fmt: skip
    _wait_for(lambda: any(out.parent.glob("raw.duckdb.tmp-*")), "the temporary database", 60)
    load.send_signal(signal.SIGKILL)
    load.wait()
    leftovers = sorted(out.parent.glob("raw.duckdb.tmp-*"))
    assert leftovers and not out.exists()
    assert all(is_owner_only(path) for path in leftovers)
    again = subprocess.run(
        load_command(generated_sample, out), cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "removed what an interrupted load left" in again.stderr
    assert leftovers[0].name in again.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["raw.duckdb", "raw.duckdb.lock"]
