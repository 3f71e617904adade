"""Build and publish the warehouse (write, audit, publish): `python -m scripts.build`.

    python -m scripts.build [--target dev|postgres|spark] [dbt build options, e.g. --vars '{...}']

Under the build lock: a new build (DuckDB: a copy of the published files in warehouse/build/,
which carries the history; with --full-refresh, new empty files; PostgreSQL: new, empty
`<schema>__build` schemas), then `dbt build` there (seeds, models and every test) once per
delivery still to build, oldest first (scripts/build/deliveries.py), the last with the latest
delivery, and only when every one passed, the publication (DuckDB: atomic renames over
warehouse/bdt.duckdb and pii.duckdb; PostgreSQL: the schemas swapped in one transaction).
A failed or killed build publishes nothing: the warehouse that BI tools read stays as it was.
Ends with what the load took (rows loaded, kept and quarantined per raw table, top rules).
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
from pathlib import Path

import duckdb
import yaml

from scripts.build import postgres
from scripts.build.deliveries import (
    LoadedDelivery,
    built_deliveries,
    deliveries_to_build,
    loaded_deliveries,
    record_built_deliveries,
    recorded_deliveries,
)
from scripts.build.paths import WarehouseFolder, raw_layer_missing, warehouse_folder
from scripts.build.publication import (
    copied_published,
    finished_interrupted_publication,
    published_build,
)
from scripts.build.spark_bi import spark_bi_database
from scripts.build.stale import dropped_stale_relations
from scripts.build.summary import summary_lines
from scripts.dbt_environment import dbt_command, dbt_target_path
from scripts.dbt_plugins.build_folder import FRESH_BUILD_VARIABLE, LOCK_HELD_VARIABLE
from scripts.dbt_plugins.pseudonym_key import (
    MissingSecret,
    person_key,
    pgoptions,
    spark_environment,
)
from scripts.load.spark import spark_folder
from scripts.locking import LockHeld, acquired_lock, lock_wait_seconds
from scripts.restricted_files import owner_only_files, owner_only_folder

# The delivery the current marts show, for dbt's macro current_delivery (which prefers
# `--vars '{delivery: ...}'`, the way to name it when running dbt directly).
DELIVERY_VARIABLE = "BDT_DELIVERY"
SELECTION_OPTIONS = ("-s", "--select", "--exclude", "--selector", "-m", "--models")
# What a delivery before the latest needs: the incremental models (the history, the
# reconciliation) and everything they are built from; the models that only the latest needs
# (the identity store, the quarantine's values, the tables derived from the whole history) are
# built by the last run. Their tests run once, in the last run, over the whole history that the
# earlier runs appended to (each test reads every delivery's rows, with their delivery label);
# `--test-each-delivery` also runs them after each earlier delivery (cautious: a test runs when
# every model it reads is selected; a relationship to dim_region waits for the last run).
# Spark builds in place: the deliveries its history holds are recorded here, in the Spark
# folder, after each build that passed (scripts/build/deliveries.py).
SPARK_BUILT_DELIVERIES = "built_deliveries.json"
HISTORY_SELECTION = (
    "--select", "+config.materialized:incremental", "--indirect-selection", "cautious"
)  # fmt: skip
UNTESTED = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


class DuckDbTarget:
    """The build as files: new databases in warehouse/build/, moved over the published ones."""

    name = "dev"

    def __init__(self, folder: WarehouseFolder) -> None:
        self.folder = folder

    def new_build(self, full_refresh: bool) -> list[str]:
        """A new build folder (what an earlier build left there is removed): a copy of the
        published databases, which hold the history, or empty files with `full_refresh`."""
        shutil.rmtree(self.folder.build, ignore_errors=True)
        owner_only_folder(self.folder.build)
        if full_refresh or not self.folder.bi.exists():
            return []
        copied_published(self.folder)
        return [f"new build in {self.folder.build}: from a copy of the published warehouse"]

    def built_deliveries(self) -> dict[str, datetime]:
        """The deliveries the build's history holds (from the copy of the published one)."""
        return built_deliveries(self.folder.build_restricted)

    def kept(self) -> str:
        """What a failed build leaves as it was, and where the failed build is."""
        bi = self.folder.bi
        if bi.exists():
            built = datetime.fromtimestamp(bi.stat().st_mtime)
            published = f"the published warehouse {bi} (built {built:%Y-%m-%d %H:%M}) is unchanged"
        else:
            published = "there is no published warehouse yet"
        return f"{published}. The failed build is kept in {self.folder.build}"

    def published(self) -> list[str]:
        """Drop what the build no longer makes, publish it; what was done and what the load
        took."""
        stale = dropped_stale_relations(
            [self.folder.build_bi, self.folder.build_restricted],
            dbt_target_path() / "manifest.json",
        )
        published_build(self.folder)
        with duckdb.connect(str(self.folder.bi), read_only=True) as connection:
            summary = summary_lines(
                lambda query: connection.execute(query).fetchall(),
                str(self.folder.bi),
                str(self.folder.restricted),
            )
        return [
            *([f"dropped what the project no longer makes: {', '.join(stale)}"] if stale else []),
            f"published {self.folder.bi} and {self.folder.restricted}: new connections see this "
            "build; a reader connected before keeps the previous one until it reconnects",
            *summary,
        ]


class PostgresTarget:
    """The build as schemas: <schema>__build, swapped over the live ones in one transaction."""

    name = "postgres"

    def new_build(self, full_refresh: bool) -> list[str]:
        """New, empty build schemas: on PostgreSQL every build replays every delivery."""
        with closing(postgres.postgres_connection()) as connection:
            return postgres.dropped_leftovers(connection)

    def built_deliveries(self) -> dict[str, datetime]:
        return {}

    def kept(self) -> str:
        return (
            "the published schemas are unchanged. The failed build is kept in the "
            "<schema>__build schemas"
        )

    def published(self) -> list[str]:
        with closing(postgres.postgres_connection()) as connection:
            live, busy = postgres.published_schemas(connection)
            lines = [f"PostgreSQL: published the schemas {', '.join(live)} in one transaction"]
            if busy:
                lines.append(
                    f"PostgreSQL: {', '.join(busy)} still read by a session; dropped by the "
                    "next build"
                )
            with connection.cursor() as cursor:

                def rows_of(query: str) -> list[tuple]:
                    cursor.execute(query)
                    return cursor.fetchall()

                return [*lines, *summary_lines(rows_of, "PostgreSQL", "PostgreSQL (owner only)")]


class SparkTarget:
    """The build on local Spark (docs/spark.md): dbt writes the Parquet tables of the Spark
    databases in place (a failed build leaves what it built); when every delivery passed, the
    BI side is copied into `<spark dir>/bdt.duckdb`, which the publication reads."""

    name = "spark"

    def __init__(self, folder: WarehouseFolder) -> None:
        self.folder = folder

    @property
    def record(self) -> Path:
        """The deliveries the Spark history holds, written after each build that passed."""
        return spark_folder(self.folder.root) / SPARK_BUILT_DELIVERIES

    def new_build(self, full_refresh: bool) -> list[str]:
        """Spark builds in place; with `full_refresh` every delivery is built again."""
        if full_refresh and self.record.exists():
            self.record.unlink()
            return [f"--full-refresh: every delivery is built again ({self.record} removed)"]
        return []

    def built_deliveries(self) -> dict[str, datetime]:
        """The deliveries the last build that passed held: those loaded since (or loaded again)
        and every later one are built again, each replacing its own partitions."""
        return recorded_deliveries(self.record)

    def kept(self) -> str:
        return (
            "the Spark databases hold what the failed build wrote; the BI database copied from "
            "the last good build is unchanged"
        )

    def published(self) -> list[str]:
        """The BI side copied into `<spark dir>/bdt.duckdb` (scripts/build/spark_bi.py); what
        was done and what the load took."""
        folder = spark_folder(self.folder.root)
        record_built_deliveries(self.record, loaded_deliveries(self.folder.raw))
        bi, rows = spark_bi_database(folder, dbt_target_path() / "manifest.json")
        with duckdb.connect(str(bi), read_only=True) as connection:
            summary = summary_lines(
                lambda query: connection.execute(query).fetchall(),
                str(bi),
                f"the Spark database identity under {folder}",
            )
        return [
            f"Spark: built the databases under {folder}",
            f"published {bi}: the {len(rows)} tables of the BI side ({sum(rows.values()):,} rows) "
            "copied from Spark for the publication and BI tools",
            *summary,
        ]


class SparkThriftTarget(SparkTarget):
    """The build on a cluster's Spark Thrift Server (target spark_thrift): its tables stay on
    the cluster, where BI tools read the database marts; nothing is copied here."""

    name = "spark_thrift"

    def kept(self) -> str:
        return "the cluster's Spark databases hold what the failed build wrote"

    @property
    def host(self) -> str:
        """The Thrift Server (profiles.yml, target spark_thrift)."""
        return os.environ.get("BDT_SPARK_HOST", "localhost")

    @property
    def record(self) -> Path:
        return spark_folder(self.folder.root) / f"{self.host}_{SPARK_BUILT_DELIVERIES}"

    def published(self) -> list[str]:
        record_built_deliveries(self.record, loaded_deliveries(self.folder.raw))
        return [f"Spark Thrift Server {self.host}: built the databases; BI tools read marts there"]


Target = DuckDbTarget | PostgresTarget | SparkTarget | SparkThriftTarget


def parsed_arguments(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build",
        description="dbt build into a new build, then publish it when every model and test "
        "passed. Other options are passed to `dbt build` (a selection is refused: a "
        "publication is a whole build; run dbt directly to build a selection).",
    )
    parser.add_argument(
        "--target",
        choices=(DuckDbTarget.name, PostgresTarget.name, SparkTarget.name, SparkThriftTarget.name),
        default="dev",
        help="dbt target",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="a new history: start from empty databases and build every delivery, oldest first",
    )
    parser.add_argument(
        "--test-each-delivery",
        action="store_true",
        help="run the tests after each delivery before the latest too (by default they run once, "
        "after the latest, over the whole history): to find which delivery breaks a test",
    )
    arguments, dbt_options = parser.parse_known_args(argv)
    selection = [o for o in dbt_options if o.split("=")[0] in SELECTION_OPTIONS]
    if selection:
        parser.error(f"{selection[0]}: a publication is a whole build; run dbt directly")
    if "delivery" in _given_vars(dbt_options):
        parser.error(
            "--vars delivery: the build chooses the deliveries (every one still to build, then "
            "the latest); run dbt directly to build the marts of one delivery"
        )
    return arguments, dbt_options


def _given_vars(dbt_options: list[str]) -> dict:
    """The value of `--vars` among the dbt options (a YAML mapping), or {}."""
    for index, option in enumerate(dbt_options):
        if option == "--vars" and index + 1 < len(dbt_options):
            return yaml.safe_load(dbt_options[index + 1]) or {}
        if option.startswith("--vars="):
            return yaml.safe_load(option.removeprefix("--vars=")) or {}
    return {}


def dbt_environment_for(delivery: str | None, target: str) -> dict[str, str]:
    """The environment of the build's dbt process for `delivery` (None: the latest of the raw
    layer). The delivery is named by the environment variable DELIVERY_VARIABLE (macro
    current_delivery), not by `--vars`: dbt parses the whole project again when the vars change
    (about 14 s at each delivery), while a changed environment variable re-parses only the files
    that read it."""
    environment = {
        **os.environ,
        FRESH_BUILD_VARIABLE: "1",
        LOCK_HELD_VARIABLE: "1",
        DELIVERY_VARIABLE: delivery or "",
    }
    if target == "postgres":
        environment["PGOPTIONS"] = pgoptions(person_key())
    if target in (SparkTarget.name, SparkThriftTarget.name):
        environment.update(spark_environment(person_key()))
    return environment


def _say(message: str) -> None:
    print(message, flush=True)


def _dbt_build(target: str, dbt_options: list[str], lock: int, delivery: str | None) -> int:
    """`dbt build` of `delivery` as a child process that shares the build lock (it stays held
    while either process lives); its exit code."""
    command = dbt_command("build", "--target", target, *dbt_options)
    return subprocess.run(
        command, env=dbt_environment_for(delivery, target), pass_fds=(lock,), check=False
    ).returncode


def _history_built(
    target: Target,
    deliveries: list[LoadedDelivery],
    dbt_options: list[str],
    lock: int,
    tested: bool,
) -> int:
    """dbt build of the history (HISTORY_SELECTION, with its tests when `tested`) once per
    delivery before the latest that is still to build, oldest first; the exit code of the
    first that failed, else 0."""
    for number, delivery in enumerate(deliveries, start=1):
        _say(
            f"history: delivery {delivery.delivery} (as of {delivery.as_of_date}), "
            f"{number} of {len(deliveries)} before the latest"
            + ("" if tested else " (its tests run after the latest, over the whole history)")
        )
        options = [*dbt_options, *HISTORY_SELECTION, *(() if tested else UNTESTED)]
        code = _dbt_build(target.name, options, lock, delivery.delivery)
        if code != 0:
            return code
    return 0


def built_and_published(
    target: Target,
    dbt_options: list[str],
    folder: WarehouseFolder,
    full_refresh: bool = False,
    test_each_delivery: bool = False,
) -> int:
    """The whole build; the exit code (0: published)."""
    if not folder.raw.is_file():
        print(f"error: {raw_layer_missing(folder)}", file=sys.stderr)
        return 2
    person_key()  # before anything starts: a missing secret is said at once
    lock = acquired_lock(folder.build_lock, "build", lock_wait_seconds(), _say)
    try:
        for message in [*finished_interrupted_publication(folder), *target.new_build(full_refresh)]:
            _say(message)
        loaded = loaded_deliveries(folder.raw)
        latest = loaded[-1] if loaded else None
        earlier = [d for d in deliveries_to_build(loaded, target.built_deliveries()) if d != latest]
        code = _history_built(target, earlier, dbt_options, lock, test_each_delivery)
        if code == 0:
            if latest is not None:
                _say(f"delivery {latest.delivery} (as of {latest.as_of_date}): the latest")
            # named, not looked up by the models: the raw rows are then filtered by a value,
            # which lets DuckDB skip the other deliveries' row groups and files
            code = _dbt_build(target.name, dbt_options, lock, latest.delivery if latest else None)
        if code != 0:
            print(
                f"build failed (dbt exit code {code}): nothing was published; {target.kept()} "
                "for inspection (`dbt retry` continues it there; `make build` starts a new one).",
                file=sys.stderr,
            )
            return code
        for line in target.published():
            _say(line)
        return 0
    finally:
        os.close(lock)


def main(argv: Sequence[str] | None = None) -> int:
    arguments, dbt_options = parsed_arguments(argv)
    folder = warehouse_folder()
    targets: dict[str, Target] = {
        DuckDbTarget.name: DuckDbTarget(folder),
        PostgresTarget.name: PostgresTarget(),
        SparkTarget.name: SparkTarget(folder),
        SparkThriftTarget.name: SparkThriftTarget(folder),
    }
    target = targets[arguments.target]
    try:
        with owner_only_files():
            return built_and_published(
                target,
                dbt_options,
                folder,
                full_refresh=arguments.full_refresh,
                test_each_delivery=arguments.test_each_delivery,
            )
    except (LockHeld, MissingSecret) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
