"""Does partitioning the Spark raw layer pay? `python -m scripts.bench.layouts --scale 1m`.

After a Spark benchmark of the scale (`python -m scripts.bench --scale 1m --engine spark`, which
leaves bench/<scale>/warehouse/raw.duckdb), for each layout of scripts/load/spark.py in turn:
the raw layer exported (`export_<layout>`), then the staging models of the registry's tables
built on Spark from it (`staging_<layout>`: the models that read the raw tables, in a Spark
folder of their own). Figures in docs/benchmarks/<scale>-spark-layouts.json and a section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.measure import StageResult, measured_stage, reported_failure
from scripts.bench.report import machine_description, portable, stage_row
from scripts.bench.runs import SCALES, git_commit, python_command
from scripts.bench.spark import SPARK, raw_layer_bytes, spark_bench_environment
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_command
from scripts.load.spark import LAYOUTS

# The models that read the raw registry tables (and only them): what the layout can change.
STAGING = (
    "stg_bdt__households",
    "stg_bdt__individuals",
    "stg_pkh__payments",
    "stg_fkp__sls_results",
)


def layout_stages(work: Path, layouts: list[str]) -> tuple[list[StageResult], dict[str, dict]]:
    """export_<layout> and staging_<layout> for each layout, and each layout's raw bytes."""
    spark_dir = work / "layouts" / "spark"
    env = {**spark_bench_environment(work), "BDT_SPARK_DIR": str(spark_dir)}
    env["DBT_TARGET_PATH"] = str(work / "target_layouts")
    results, sizes = [], {}
    for layout in layouts:
        shutil.rmtree(spark_dir, ignore_errors=True)
        spark_dir.mkdir(parents=True)
        commands = {
            f"export_{layout}": python_command("-m", "scripts.load.spark", "--layout", layout),
            f"staging_{layout}": dbt_command("run", "--select", *STAGING, *SPARK),
        }
        for stage, command in commands.items():
            print(f"[{datetime.now():%H:%M:%S}] {stage}", flush=True)
            results.append(measured_stage(stage, command, env, PROJECT_DIR, work / "logs"))
            if reported_failure(results[-1]):
                return results, sizes
        sizes[layout] = raw_layer_bytes(spark_dir / "raw")
    shutil.rmtree(spark_dir.parent, ignore_errors=True)
    return results, sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.layouts", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="1m")
    parser.add_argument("--layouts", nargs="+", choices=sorted(LAYOUTS), default=sorted(LAYOUTS))
    parser.add_argument("--docs", type=Path, default=PROJECT_DIR / "docs")
    arguments = parser.parse_args(argv)
    work = (PROJECT_DIR / "bench" / arguments.scale).resolve()
    if not (work / "warehouse" / "raw.duckdb").is_file():
        sys.exit(f"error: no {work}/warehouse/raw.duckdb: run the Spark benchmark first")
    started = datetime.now(UTC)
    stages, sizes = layout_stages(work, arguments.layouts)
    results = portable(
        {
            "scale": arguments.scale,
            "started_utc": started.isoformat(timespec="seconds"),
            "commit": git_commit(),
            "staging_models": list(STAGING),
            "stages": [stage.as_dict() for stage in stages],
            "raw_layer_bytes": sizes,
            "machine": machine_description(),
        }
    )
    out = arguments.docs / "benchmarks" / f"{arguments.scale}-spark-layouts.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        "",
        f"## {arguments.scale} on Spark, raw layouts — {results['started_utc']}"
        f" (commit {results['commit']})",
        "",
        "Each layout of the raw layer (scripts/load/spark.py) exported from the same raw.duckdb,"
        " then the four staging models that read it built on local Spark"
        f" (`python -m scripts.bench.layouts --scale {arguments.scale}`). `load`: mean one-minute"
        " load average during the stage (2 cores).",
        "",
        "| stage | wall s | CPU s | peak RSS MiB | peak disk GiB | load |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"{stage_row(stage)} {stage['mean_load']:.1f} |" for stage in results["stages"]),
        "",
    ]
    with (arguments.docs / "benchmarks.md").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    print(f"figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
