"""The benchmark on the Spark target: `python -m scripts.bench --scale 1m --engine spark`.

The same raw layer as the DuckDB benchmark (generate, unless `--reuse-raw` finds it, and load
into raw.duckdb), then the stages of a Spark build (docs/spark.md), each a child process measured
as the DuckDB stages are (scripts/bench/measure.py): the raw layer exported as Parquet
(`spark_export`), `dbt seed` (`spark_seeds`), the models (`spark_models`: `dbt build` of the
models only, first delivery from empty tables) and the data and unit tests (`spark_tests`), on
local Spark (`local[*]`: every core of this machine). The DuckDB figures of the same scale
(docs/benchmarks/<scale>.json, when there) are shown beside them.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.measure import StageResult, folder_bytes
from scripts.bench.runs import (
    BENCH_SECRET,
    Scale,
    bench_environment,
    completed_target,
    git_commit,
    measured_stages,
    python_command,
    raw_layer_commands,
    raw_reusable,
)
from scripts.dbt_environment import dbt_command
from scripts.dbt_plugins.pseudonym_key import spark_environment
from scripts.load.spark import DEFAULT_LAYOUT

SPARK = ("--target", "spark")
# The driver's memory (it runs every task in local mode) unless BDT_SPARK_DRIVER_MEMORY is set:
# the profile's 4g is enough for the sample, not for the 1m models.
DRIVER_MEMORY = "10g"
# The DuckDB stages a Spark stage is compared with (the DuckDB models stage includes the seeds).
DUCKDB_COUNTERPART = {
    "load": ("load",),
    "spark_seeds": (),
    "spark_models": ("models",),
    "spark_tests": ("tests",),
}


def spark_bench_environment(work: Path) -> dict[str, str]:
    """The benchmark's environment plus the Spark session's: the HMAC pads of the benchmark's
    secret, the driver's memory, dbt's artefacts in work/target_spark."""
    return {
        **bench_environment(work),
        **spark_environment(BENCH_SECRET),
        "BDT_SPARK_DRIVER_MEMORY": os.environ.get("BDT_SPARK_DRIVER_MEMORY", DRIVER_MEMORY),
        "DBT_TARGET_PATH": str(work / "target_spark"),
    }


def spark_stages(scale: Scale, work: Path, layout: str, reuse_raw: bool) -> list[StageResult]:
    """generate (unless reused), load, spark_export, spark_seeds, spark_models, spark_tests:
    each measured, up to the first that fails (included). The warehouse folder (raw.duckdb and
    the Spark folder with its metastore) starts empty."""
    shutil.rmtree(work / "warehouse", ignore_errors=True)
    commands = {
        **raw_layer_commands(scale, work),
        "spark_export": python_command("-m", "scripts.load.spark", "--layout", layout),
        "spark_seeds": dbt_command("seed", *SPARK),
        "spark_models": dbt_command("build", "--resource-type", "model", *SPARK),
        "spark_tests": dbt_command("test", *SPARK),
    }
    if reuse_raw and raw_reusable(scale, work / "raw"):
        print(f"{scale.name}: reusing the raw files in {work / 'raw'}", flush=True)
        del commands["generate"]
    return list(measured_stages(scale, commands, spark_bench_environment(work), work / "logs"))


def duckdb_figures(docs: Path, scale: Scale) -> dict[str, object] | None:
    """The latest DuckDB benchmark of the same scale (docs/benchmarks/<scale>.json), if any."""
    path = docs / "benchmarks" / f"{scale.name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def raw_layer_bytes(raw: Path) -> dict[str, int]:
    """Bytes of each table of an exported raw layer (`raw`/<table>)."""
    if not raw.is_dir():
        return {}
    return {table.name: folder_bytes(table) for table in sorted(raw.iterdir()) if table.is_dir()}


def spark_results(
    scale: Scale, work: Path, docs: Path, layout: str = DEFAULT_LAYOUT, reuse_raw: bool = False
) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    started, commit = datetime.now(UTC), git_commit()
    load_before = os.getloadavg()
    stages = spark_stages(scale, work, layout, reuse_raw)
    duckdb = duckdb_figures(docs, scale)
    return {
        "scale": scale.name,
        "engine": "spark",
        "layout": layout,
        "generate_args": list(scale.generate_args),
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": commit,
        "raw_reused": not any(stage.stage == "generate" for stage in stages),
        "load_average_before": [round(value, 2) for value in load_before],
        "spark_settings": {
            "master": f"local[{os.environ.get('BDT_SPARK_CORES', '*')}]",
            "driver_memory": os.environ.get("BDT_SPARK_DRIVER_MEMORY", DRIVER_MEMORY),
            "shuffle_partitions": os.environ.get("BDT_SPARK_SHUFFLE_PARTITIONS", "8"),
        },
        "stages": [stage.as_dict() for stage in stages],
        "raw_layer_bytes": raw_layer_bytes(work / "warehouse" / "spark" / "raw"),
        "duckdb": (
            {
                "started_utc": duckdb["started_utc"],
                "commit": duckdb["commit"],
                "stages": duckdb["stages"],
            }
            if duckdb
            else None
        ),
        "targets": {"completed": completed_target(stages)},
    }
