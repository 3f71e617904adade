"""The benchmark's scales and the run of every stage, the limit and the PostgreSQL peer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.measure import StageResult, measured_stage, reported_failure
from scripts.build.paths import WarehouseFolder
from scripts.build.publication import published_build
from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_command, dbt_environment
from scripts.dbt_plugins.pseudonym_key import pgoptions
from scripts.generate.manifest import MANIFEST
from scripts.postgres_server import throwaway_postgres

REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference"
BENCH_SECRET = "benchmark-secret-0123456789abcdef"
# The models stage on either engine: seeds and models, without the data tests (their own stage).
BUILD_MODELS = ("build", "--resource-type", "seed", "--resource-type", "model")
# The peer server's settings: what a tuned single machine would use for an analytical load.
POSTGRES_SETTINGS = {
    "shared_buffers": "'4GB'",
    "work_mem": "'256MB'",
    "maintenance_work_mem": "'1GB'",
    "max_parallel_workers_per_gather": "2",
    "effective_cache_size": "'12GB'",
}


@dataclass(frozen=True)
class Scale:
    name: str
    generate_args: tuple[str, ...]
    with_peer: bool
    # Targets judged from the figures (README, issue): seconds, or None.
    total_target_s: float | None
    total_stages: tuple[str, ...]
    models_vs_limit_target: float | None = None
    peak_memory_target_gib: float | None = None
    # Peak size of the working folder (raw files, warehouses, spill), in GB of 10**9 bytes.
    peak_disk_target_gb: float | None = None
    peer_speedup_target: float | None = None


NATIONAL_REGIONS = str(REFERENCE_DIR / "bps_mfd_2018")
SCALES = {
    scale.name: scale
    for scale in (
        Scale(
            "tanjungbalai", ("--profile", "tanjungbalai"), with_peer=True,
            total_target_s=45, total_stages=("generate", "load", "models", "tests", "publish"),
        ),
        Scale(
            "1m", ("--households", "1000000", "--regions", NATIONAL_REGIONS, "--format", "parquet"),
            with_peer=True, total_target_s=300, total_stages=("load", "models", "tests", "publish"),
            models_vs_limit_target=4, peer_speedup_target=10,
        ),
        # Between the two: for an engine too slow for 1m on this machine (Spark in local mode).
        Scale(
            "100k",
            ("--households", "100000", "--regions", NATIONAL_REGIONS, "--format", "parquet"),
            with_peer=False, total_target_s=None, total_stages=(),
        ),
        Scale(
            "national",
            ("--households", "26589774", "--regions", NATIONAL_REGIONS, "--format", "parquet"),
            with_peer=False, total_target_s=1800,
            total_stages=("load", "models", "tests", "publish"),
            peak_memory_target_gib=16, peak_disk_target_gb=50,
        ),
    )
}  # fmt: skip


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def bench_environment(work: Path, warehouse: Path | None = None) -> dict[str, str]:
    """The environment of the benchmark's commands: the warehouse folder (default
    work/warehouse), the benchmark's secret, dbt's artefacts under `work`."""
    return dbt_environment(warehouse or work / "warehouse", BENCH_SECRET, work)


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def raw_reusable(scale: Scale, raw: Path) -> bool:
    """True when `raw` holds a complete generator output (its manifest) made with the scale's
    size, profile and format: an earlier run's files can be measured again without regenerating."""
    manifest = raw / MANIFEST
    if not manifest.is_file():
        return False
    arguments = json.loads(manifest.read_text(encoding="utf-8"))["arguments"]
    wanted = dict(zip(scale.generate_args[::2], scale.generate_args[1::2], strict=True))
    return (
        wanted.get("--households", str(arguments["households"])) == str(arguments["households"])
        and wanted.get("--profile", arguments["profile"]) == arguments["profile"]
        and wanted.get("--format", "csv") == arguments["format"]
    )


def raw_layer_commands(scale: Scale, work: Path) -> dict[str, list[str]]:
    """generate and load: the raw layer of every engine (work/raw, work/warehouse/raw.duckdb)."""
    raw, warehouse = work / "raw", work / "warehouse"
    return {
        "generate": python_command("-m", "scripts.generate", *scale.generate_args, "--out",
                                   str(raw), "--no-progress"),
        "load": python_command("-m", "scripts.load", "--raw-dir", str(raw), "--reference-dir",
                        str(REFERENCE_DIR), "--out", str(warehouse / "raw.duckdb"),
                        "--no-progress",
                        *(["--parquet-in-place"] if "parquet" in scale.generate_args else [])),
    }  # fmt: skip


def measured_stages(
    scale: Scale, commands: dict[str, list[str]], env: dict[str, str], logs: Path
) -> Iterator[StageResult]:
    """Each command measured in turn, up to the first that fails (included, with its exit
    code)."""
    for stage, command in commands.items():
        print(f"[{datetime.now():%H:%M:%S}] {scale.name}: {stage}", flush=True)
        result = measured_stage(stage, command, env, PROJECT_DIR, logs)
        yield result
        if reported_failure(result):
            return


def pipeline_stages(
    scale: Scale, work: Path, reuse_raw: bool = False, sizes: dict[str, int] | None = None
) -> list[StageResult]:
    """generate, load, models, tests, publish: the pipeline of `make run`, each measured, up to
    the first stage that fails (which is included, with its exit code). With `reuse_raw` the
    generation is skipped when the raw files of an earlier run fit (raw_reusable). Once the
    tests passed, the build is published (renames, as `make build` does) and the sizes of its
    databases are put in `sizes`: the disk that a rebuild needs beside a published warehouse."""
    env = bench_environment(work)
    warehouse = work / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    commands = {
        **raw_layer_commands(scale, work),
        "models": dbt_command(*BUILD_MODELS),
        "tests": dbt_command("test"),
        "publish": python_command("-m", "scripts.publish", "--warehouse",
                                  str(warehouse / "bdt.duckdb"), "--out", str(work / "output"),
                                  "--no-progress"),
    }  # fmt: skip
    if reuse_raw and raw_reusable(scale, work / "raw"):
        print(f"{scale.name}: reusing the raw files in {work / 'raw'}", flush=True)
        del commands["generate"]
    results = []
    for result in measured_stages(scale, commands, env, work / "logs"):
        results.append(result)
        if result.stage == "tests" and not result.failed:
            folder = WarehouseFolder(warehouse)
            published_build(folder)
            if sizes is not None:
                sizes.update(
                    {path.name: path.stat().st_size for path in (folder.bi, folder.restricted)}
                )
            # the publication reads only the BI database: at national scale its spill files
            # need the restricted database's disk space
            remove_restricted_database(work)
    return results


def remove_restricted_database(work: Path) -> None:
    """Delete the run's restricted database (pii.duckdb, published or in the build folder),
    which nothing after the tests reads."""
    folder = WarehouseFolder(work / "warehouse")
    for database in (folder.restricted, folder.build / folder.restricted.name):
        for path in (database, database.with_name(database.name + ".wal")):
            path.unlink(missing_ok=True)


def limit_figures(work: Path) -> dict[str, object] | None:
    """The limit, measured as a stage of its own; its read and write seconds from its output
    (None when it fails)."""
    env = bench_environment(work)
    stage = measured_stage(
        "limit",
        python_command("-m", "scripts.bench.limit", "--raw-dir", str(work / "raw"), "--warehouse",
                str(work / "warehouse" / "bdt.duckdb"), "--scratch", str(work / "scratch")),
        env, PROJECT_DIR, work / "logs",
    )  # fmt: skip
    if reported_failure(stage):
        return None
    figures = json.loads(Path(stage.log).read_text(encoding="utf-8").strip().splitlines()[-1])
    limit_s = round(figures["read_s"] + figures["write_s"], 2)
    return {**stage.as_dict(), **figures, "limit_s": limit_s}


def peer_figures(work: Path) -> dict[str, object]:
    """The same models on a throwaway PostgreSQL server: the copy of the raw layer, then
    `dbt build` of the seeds and models with --target postgres (not after a failed copy)."""
    env = bench_environment(work)
    with throwaway_postgres(POSTGRES_SETTINGS) as server:
        env.update(server.environment())
        env["PGOPTIONS"] = pgoptions(BENCH_SECRET)
        env["DBT_TARGET_PATH"] = str(work / "target_postgres")
        copy = measured_stage(
            "postgres_load",
            python_command("-m", "scripts.load.postgres", str(work / "warehouse" / "raw.duckdb"),
                    server.dsn()),
            env, PROJECT_DIR, work / "logs",
        )  # fmt: skip
        stages = [copy]
        if not reported_failure(copy):
            stages.append(measured_stage(
                "postgres_models",
                dbt_command(*BUILD_MODELS, "--target", "postgres"),
                env, PROJECT_DIR, work / "logs",
            ))  # fmt: skip
            reported_failure(stages[-1])
        version = subprocess.run(
            ["psql", "-h", server.host, "-p", str(server.port), "-U", server.owner, "-d",
             server.database, "-Atc", "show server_version"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    return {"server_version": version, "settings": POSTGRES_SETTINGS,
            "stages": [stage.as_dict() for stage in stages]}  # fmt: skip


def completed_target(stages: Iterable[StageResult]) -> dict[str, object]:
    """The target every benchmark has: every stage completed (else the first that failed)."""
    failed = [stage.stage for stage in stages if stage.failed]
    return {"value": "yes" if not failed else f"no, failed at {failed[0]}",
            "target": "every stage", "met": not failed}  # fmt: skip


def targets(
    scale: Scale, stages: dict[str, StageResult], limit: dict | None, peer: dict | None
) -> dict:
    """Each target of the scale with the measured value and whether it is met. A run that
    failed meets no time target; its figures stay on record for what was measured."""
    judged: dict[str, dict[str, object]] = {"completed": completed_target(stages.values())}
    if scale.total_target_s is not None and judged["completed"]["met"]:
        total = round(sum(stages[name].wall_s for name in scale.total_stages), 1)
        judged["total_s"] = {"stages": list(scale.total_stages), "value": total,
                             "target": f"< {scale.total_target_s}",
                             "met": total < scale.total_target_s}  # fmt: skip
    if scale.models_vs_limit_target is not None and limit is not None:
        ratio = round(stages["models"].wall_s / max(limit["limit_s"], 0.01), 2)
        judged["models_vs_limit"] = {"value": ratio, "target": f"<= {scale.models_vs_limit_target}",
                                     "met": ratio <= scale.models_vs_limit_target}  # fmt: skip
    if scale.peak_memory_target_gib is not None:
        peak = round(max(stage.peak_rss_mib for stage in stages.values()) / 1024, 2)
        judged["peak_memory_gib"] = {"value": peak, "target": f"< {scale.peak_memory_target_gib}",
                                     "met": peak < scale.peak_memory_target_gib}  # fmt: skip
    if scale.peak_disk_target_gb is not None:
        peak_gb = round(max(stage.peak_disk_gib for stage in stages.values()) * 2**30 / 1e9, 1)
        judged["peak_disk_gb"] = {"value": peak_gb, "target": f"< {scale.peak_disk_target_gb}",
                                  "met": peak_gb < scale.peak_disk_target_gb}  # fmt: skip
    if peer is not None and not any(stage["exit_code"] for stage in peer["stages"]):
        postgres_models = next(s for s in peer["stages"] if s["stage"] == "postgres_models")
        speedup = round(postgres_models["wall_s"] / max(stages["models"].wall_s, 0.01), 1)
        target = scale.peer_speedup_target
        judged["duckdb_vs_postgres_models"] = {
            "value": speedup,
            "target": f">= {target}" if target else "measured",
            "met": speedup >= target if target else None,
        }
    return judged


def benchmark_results(
    scale: Scale, work: Path, with_peer: bool, reuse_raw: bool = False
) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    started, commit = datetime.now(UTC), git_commit()
    sizes: dict[str, int] = {}
    stages = {stage.stage: stage for stage in pipeline_stages(scale, work, reuse_raw, sizes)}
    completed = not any(stage.failed for stage in stages.values())
    # The restricted database is not needed by the limit or the peer either (when the tests
    # did not run, it is still there): at national scale the limit's copy of the marts would
    # not fit beside it.
    remove_restricted_database(work)
    limit = peer = None
    if "models" in stages and not stages["models"].failed:
        print(f"[{datetime.now():%H:%M:%S}] {scale.name}: limit", flush=True)
        limit = limit_figures(work)
    if with_peer and completed:
        print(f"[{datetime.now():%H:%M:%S}] {scale.name}: PostgreSQL peer", flush=True)
        peer = peer_figures(work)
    return {
        "scale": scale.name,
        "generate_args": list(scale.generate_args),
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": commit,
        "raw_reused": "generate" not in stages,
        "stages": [stage.as_dict() for stage in stages.values()],
        # a rebuild writes new databases beside the published ones until it publishes them
        "published_database_bytes": sizes,
        "limit": limit,
        "peer_postgres": peer,
        "targets": targets(scale, stages, limit, peer),
    }
