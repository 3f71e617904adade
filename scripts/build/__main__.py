"""Build and publish the warehouse (write, audit, publish): `python -m scripts.build`.

    python -m scripts.build [--target dev|postgres] [dbt build options, e.g. --vars '{...}']

Under the build lock: a new build (DuckDB: new files in warehouse/build/; PostgreSQL: new
`<schema>__build` schemas), `dbt build` there (seeds, models and every test), and only when it
passed, the publication (DuckDB: atomic renames over warehouse/bdt.duckdb and pii.duckdb;
PostgreSQL: the schemas swapped in one transaction). A failed or killed build publishes nothing:
the warehouse that BI tools read stays as it was. Ends with what the load took (rows loaded,
kept and quarantined per raw table, top rules).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import datetime

import duckdb

from scripts.build import postgres
from scripts.build.paths import WarehouseFolder, raw_layer_missing, warehouse_folder
from scripts.build.publication import finished_interrupted_publication, published_build
from scripts.build.summary import summary_lines
from scripts.dbt_environment import dbt_command
from scripts.dbt_plugins.build_folder import FRESH_BUILD_VARIABLE, LOCK_HELD_VARIABLE
from scripts.dbt_plugins.pseudonym_key import MissingSecret, person_key, pgoptions
from scripts.locking import LockHeld, acquired_lock, lock_wait_seconds
from scripts.restricted_files import owner_only_files, owner_only_folder

TARGETS = ("dev", "postgres")
SELECTION_OPTIONS = ("-s", "--select", "--exclude", "--selector", "-m", "--models")


def parsed_arguments(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build",
        description="dbt build into a new build, then publish it when every model and test "
        "passed. Other options are passed to `dbt build` (a selection is refused: a "
        "publication is a whole build; run dbt directly to build a selection).",
    )
    parser.add_argument("--target", choices=TARGETS, default="dev", help="dbt target")
    arguments, dbt_options = parser.parse_known_args(argv)
    selection = [o for o in dbt_options if o.split("=")[0] in SELECTION_OPTIONS]
    if selection:
        parser.error(f"{selection[0]}: a publication is a whole build; run dbt directly")
    return arguments, dbt_options


def _say(message: str) -> None:
    print(message, flush=True)


def _published_state(folder: WarehouseFolder) -> str:
    if not folder.bi.exists():
        return "there is no published warehouse yet"
    built = datetime.fromtimestamp(folder.bi.stat().st_mtime)
    return f"the published warehouse {folder.bi} (built {built:%Y-%m-%d %H:%M}) is unchanged"


def _new_duckdb_build(folder: WarehouseFolder) -> None:
    """An empty build folder (what an earlier build left there is removed)."""
    shutil.rmtree(folder.build, ignore_errors=True)
    owner_only_folder(folder.build)


def _dbt_build(target: str, dbt_options: list[str], lock: int) -> int:
    """`dbt build` as a child process that shares the build lock (it stays held while either
    process lives); its exit code."""
    environment = {**os.environ, FRESH_BUILD_VARIABLE: "1", LOCK_HELD_VARIABLE: "1"}
    if target == "postgres":
        environment["PGOPTIONS"] = pgoptions(person_key())
    command = dbt_command("build", "--target", target, *dbt_options)
    return subprocess.run(command, env=environment, pass_fds=(lock,), check=False).returncode


def _duckdb_summary(folder: WarehouseFolder) -> list[str]:
    with duckdb.connect(str(folder.bi), read_only=True) as connection:
        return summary_lines(
            lambda query: connection.execute(query).fetchall(),
            str(folder.bi),
            str(folder.restricted),
        )


def _postgres_summary() -> list[str]:
    with closing(postgres.postgres_connection()) as connection, connection.cursor() as cursor:

        def rows_of(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        return summary_lines(rows_of, "PostgreSQL", "PostgreSQL (owner only)")


def built_and_published(target: str, dbt_options: list[str], folder: WarehouseFolder) -> int:
    """The whole build; the exit code (0: published)."""
    if not folder.raw.is_file():
        print(f"error: {raw_layer_missing(folder)}", file=sys.stderr)
        return 2
    person_key()  # before anything starts: a missing secret is said at once
    lock = acquired_lock(folder.build_lock, "build", lock_wait_seconds(), _say)
    try:
        return _locked_build(target, dbt_options, folder, lock)
    finally:
        os.close(lock)


def _locked_build(target: str, dbt_options: list[str], folder: WarehouseFolder, lock: int) -> int:
    for message in finished_interrupted_publication(folder):
        _say(message)
    if target == "dev":
        _new_duckdb_build(folder)
    else:
        with closing(postgres.postgres_connection()) as connection:
            for message in postgres.dropped_leftovers(connection):
                _say(message)
    code = _dbt_build(target, dbt_options, lock)
    if code != 0:
        kept = (
            _published_state(folder) if target == "dev" else "the published schemas are unchanged"
        )
        where = f"in {folder.build}" if target == "dev" else "in the <schema>__build schemas"
        print(
            f"build failed (dbt exit code {code}): nothing was published; {kept}. The failed "
            f"build is kept {where} for inspection (`dbt retry` continues it there; "
            "`make build` starts a new one).",
            file=sys.stderr,
        )
        return code
    if target == "dev":
        published_build(folder)
        _say(
            f"published {folder.bi} and {folder.restricted}: new connections see this build; "
            "a reader connected before keeps the previous one until it reconnects"
        )
        lines = _duckdb_summary(folder)
    else:
        with closing(postgres.postgres_connection()) as connection:
            live, busy = postgres.published_schemas(connection)
        _say(f"PostgreSQL: published the schemas {', '.join(live)} in one transaction")
        if busy:
            _say(
                f"PostgreSQL: {', '.join(busy)} still read by a session; dropped by the next build"
            )
        lines = _postgres_summary()
    for line in lines:
        _say(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments, dbt_options = parsed_arguments(argv)
    folder = warehouse_folder()
    try:
        with owner_only_files():
            return built_and_published(arguments.target, dbt_options, folder)
    except (LockHeld, MissingSecret) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
