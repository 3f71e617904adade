"""The same dbt project on Apache Spark (local, dbt-spark `method: session`): a very dirty series
of two deliveries built there with `python -m scripts.build --target spark`, and compared with
its DuckDB build: every table of the BI side row for row (the history marts included), every
dbt test's result, and the publication made from it; then the `spark_thrift` target on a
throwaway Thrift Server. Needs `make setup-spark` and Java 17 (`make test` installs the first,
`.ci/run` the second); skipped without them."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts.build.spark_bi import BI_SCHEMAS
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_command, dbt_environment
from scripts.dbt_plugins.pseudonym_key import spark_environment
from scripts.publish.pipeline import publish
from scripts.spark_thrift_server import throwaway_thrift_server
from tests.python.warehouse import (
    TEST_SECRET,
    Warehouse,
    built_warehouse,
    passed_build,
    pseudonym,
    run_generator,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
        reason="the Spark target is not installed (make setup-spark; Java 17)",
    ),
]

# Marts that only a second delivery fills: not empty in the series compared.
HISTORY_MARTS = ("marts.fct_household_changes", "marts.fct_member_changes")
# Doubles are compared to this many decimals: the engines may sum in another order.
DOUBLE_DECIMALS = 9


@dataclass(frozen=True)
class SparkBuild:
    folder: Path  # BDT_SPARK_DIR: tables/, raw/, metastore_db/ and the copied bdt.duckdb
    artefacts: Path  # dbt's target/ of the build

    @property
    def bi_database(self) -> Path:
        return self.folder / "bdt.duckdb"


@pytest.fixture(scope="module")
def duckdb_series(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Two deliveries a year apart of 1,500 households, every defect ten times as often (so
    that the history marts hold changes, moves and splits), built on DuckDB."""
    raw = run_generator(
        tmp_path_factory.mktemp("dirty_series") / "raw",
        "--households", "1500", "--seed", "99", "--dirt-scale", "10",
        "--deliveries", "2", "--interval-months", "12",
    )  # fmt: skip
    return built_warehouse(raw, tmp_path_factory.mktemp("duckdb_warehouse"))


@pytest.fixture(scope="module")
def spark_build(duckdb_series: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    """The Spark build of that series: its raw layer (the DuckDB build's raw.duckdb) exported
    as Parquet and built on local Spark, delivery by delivery as the DuckDB build was."""
    folder = tmp_path_factory.mktemp("spark_warehouse")
    shutil.copy(duckdb_series.folder / "raw.duckdb", folder / "raw.duckdb")
    env = dbt_environment(folder, TEST_SECRET, folder)
    subprocess.run(
        [sys.executable, "-m", "scripts.load.spark"],
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    passed_build(env, "--target", "spark", timeout=3600)
    return SparkBuild(folder=folder / "spark", artefacts=folder / "target")


def bi_tables(database: Path) -> dict[str, dict[str, str]]:
    """Every table of the BI schemas of a DuckDB database: name -> column -> type."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select table_schema || '.' || table_name, column_name, data_type"
            " from information_schema.columns where table_schema in ?"
            " order by table_schema, table_name, ordinal_position",
            [list(BI_SCHEMAS)],
        ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, {})[column] = kind
    return tables


def table_rows(database: Path, table: str, columns: dict[str, str]) -> Counter[tuple]:
    """The rows of `table` as a multiset, each of `columns` as text, doubles rounded."""
    cells = [
        f'cast(round("{name}", {DOUBLE_DECIMALS}) as varchar)'
        if kind in ("DOUBLE", "FLOAT")
        else f'cast("{name}" as varchar)'
        for name, kind in columns.items()
    ]
    with duckdb.connect(str(database), read_only=True) as connection:
        return Counter(connection.execute(f"select {', '.join(cells)} from {table}").fetchall())


def test_spark_builds_every_table_of_the_bi_side_with_the_duckdb_types(
    spark_build: SparkBuild, duckdb_series: Warehouse
) -> None:
    expected = bi_tables(duckdb_series.bi_database)
    assert len(expected) > 25
    assert bi_tables(spark_build.bi_database) == expected


def test_every_table_of_the_bi_side_equals_the_duckdb_build(
    spark_build: SparkBuild, duckdb_series: Warehouse
) -> None:
    """Every mart, quality table and reference seed, row for row with every column (the keys
    included: the same pseudonyms under the same secret)."""
    differing = {}
    for table, columns in bi_tables(duckdb_series.bi_database).items():
        expected = table_rows(duckdb_series.bi_database, table, columns)
        if table in HISTORY_MARTS:
            assert expected, f"{table} is empty: nothing of the history to compare"
        built = table_rows(spark_build.bi_database, table, columns)
        if built != expected:
            differing[table] = (
                f"{sum((built - expected).values())} rows only on Spark, "
                f"{sum((expected - built).values())} only on DuckDB; e.g. "
                f"{list(built - expected)[:1]} against {list(expected - built)[:1]}"
            )
    assert differing == {}


def test_bi_tables_copied_from_spark_are_what_spark_wrote(spark_build: SparkBuild) -> None:
    """The copy for the publication holds the rows of Spark's own Parquet files (a key and a
    count per table, read without the copy)."""
    with duckdb.connect() as connection:
        for relation, key in (
            ("marts.dim_individual", "person_key"),
            ("marts.dim_region", "village_code"),
        ):
            schema, table = relation.split(".")
            files = spark_build.folder / "tables" / f"{schema}.db" / table / "**" / "*.parquet"
            written = connection.execute(
                f"select count(*), count(distinct {key}) from read_parquet('{files}')"
            ).fetchone()
            connection.execute(f"attach '{spark_build.bi_database}' as copied (read_only)")
            copied = connection.execute(
                f"select count(*), count(distinct {key}) from copied.{relation}"
            ).fetchone()
            connection.execute("detach copied")
            assert written == copied and written[0] > 1000


def test_every_dbt_test_passes_on_spark_as_on_duckdb(
    spark_build: SparkBuild, duckdb_series: Warehouse
) -> None:
    """The last build (the latest delivery, every node) ran the same data and unit tests as
    the DuckDB build, with the same results."""

    def test_results(artefacts: Path) -> dict[str, str]:
        results = json.loads((artefacts / "run_results.json").read_text(encoding="utf-8"))
        return {
            result["unique_id"]: result["status"]
            for result in results["results"]
            if result["unique_id"].startswith(("test.", "unit_test."))
        }

    expected = test_results(duckdb_series.folder / "target")
    manifest = json.loads(
        (duckdb_series.folder / "target" / "manifest.json").read_text(encoding="utf-8")
    )
    declared = {*manifest["unit_tests"], *(n for n in manifest["nodes"] if n.startswith("test."))}
    # every data and unit test of the project ran in the last build, and passed
    assert set(expected) == declared
    assert set(expected.values()) == {"pass"}
    assert test_results(spark_build.artefacts) == expected


def test_the_publication_of_the_spark_build_equals_that_of_the_duckdb_build(
    spark_build: SparkBuild, duckdb_series: Warehouse, tmp_path: Path
) -> None:
    """`make run DBT_TARGET=spark` publishes from the copy: every published table (CSV) is the
    same as the DuckDB build's."""
    tables = {}
    for name, database in (
        ("duckdb", duckdb_series.bi_database),
        ("spark", spark_build.bi_database),
    ):
        publication = publish(database, tmp_path / name, locale="en", progress=False)
        tables[name] = {
            path.relative_to(tmp_path / name): path.read_bytes()
            for path in publication.files
            if path.suffix == ".csv"
        }
    assert len(tables["duckdb"]) > 10
    assert tables["spark"] == tables["duckdb"]


def parquet_rows(table_dir: Path) -> Counter[tuple]:
    """The rows of a Spark table, read from its Parquet files with DuckDB."""
    with duckdb.connect() as connection:
        return Counter(
            connection.execute(f"select * from read_parquet('{table_dir}/*.parquet')").fetchall()
        )


def test_the_spark_thrift_target_builds_as_the_session_does(
    spark_build: SparkBuild, tmp_path: Path
) -> None:
    """Target spark_thrift, on a throwaway Thrift Server: the raw layer registered by the
    on-run-start hook, a staging model equal to the session build's, and the keys (the pads
    handed over as session settings) equal to Python's HMAC; the pads in no file dbt wrote."""
    thrift_tables = spark_build.folder / "thrift_tables"  # its ../raw is the raw export
    with throwaway_thrift_server(thrift_tables) as server:
        env = {
            **dbt_environment(tmp_path, TEST_SECRET, tmp_path),
            **server.environment(),
            **spark_environment(TEST_SECRET),
        }

        def dbt(*args: str) -> str:
            done = subprocess.run(
                dbt_command(*args, "--target", "spark_thrift"),
                cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            assert done.returncode == 0, done.stdout[-4000:]
            return done.stdout

        dbt("run", "--select", "stg_bdt__households")
        shown = dbt(
            "show", "--output", "json", "--log-format", "json", "--limit", "200", "--inline",
            "select household_id, {{ household_key('household_id') }} as household_key"
            " from {{ ref('stg_bdt__households') }} where household_id is not null",
        )  # fmt: skip
    staging = Path("staging.db") / "stg_bdt__households"
    assert parquet_rows(thrift_tables / staging) == parquet_rows(
        spark_build.folder / "tables" / staging
    )
    preview = next(
        json.loads(json.loads(line)["data"]["preview"])
        for line in shown.splitlines()
        if line.startswith("{") and "preview" in json.loads(line).get("data", {})
    )
    assert len(preview) == 200
    for row in preview:
        assert row["household_key"].replace("-", "") == pseudonym(
            TEST_SECRET, "rt", row["household_id"]
        )
    pads = spark_environment(TEST_SECRET).values()
    for path in [*(tmp_path / "target").rglob("*"), *(tmp_path / "logs").rglob("*")]:
        if path.is_file():
            text = path.read_text(errors="replace")
            assert not any(pad in text for pad in pads), path
