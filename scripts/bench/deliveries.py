"""The cost of a new delivery: `python -m scripts.bench --scale 1m --deliveries 4`.

Generates the scale's population as successive deliveries, then, one delivery at a time, oldest
first, as an operator receives them: loads it (`python -m scripts.load --delivery`) and builds
and publishes the warehouse (`python -m scripts.build`, which builds the new delivery only: the
history of the earlier ones is carried over from the published build). Each build is judged
against the first one: adding a delivery should cost at most `INCREMENTAL_TARGET` times the
first delivery's build, whatever the length of the history.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.measure import StageResult, measured_stage, reported_failure
from scripts.bench.runs import REFERENCE_DIR, Scale, bench_environment, git_commit, python_command
from scripts.contract import PROJECT_DIR
from scripts.generate.manifest import DELIVERIES

# A build after a new delivery, against the first delivery's build (issue #13).
INCREMENTAL_TARGET = 1.3


def delivery_labels(raw: Path) -> list[str]:
    """The delivery folders the generator wrote, oldest first (its deliveries.json)."""
    index = json.loads((raw / DELIVERIES).read_text(encoding="utf-8"))
    return [str(entry["folder"]) for entry in index["deliveries"]]


def delivery_stages(
    scale: Scale, work: Path, deliveries: int, interval_months: int
) -> list[StageResult]:
    """generate, then load_<label> and build_<label> per delivery: each measured, up to the
    first that fails (included)."""
    env = bench_environment(work)
    logs, raw, warehouse = work / "logs", work / "raw", work / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    in_place = ["--parquet-in-place"] if "parquet" in scale.generate_args else []
    generate = python_command(
        "-m", "scripts.generate", *scale.generate_args, "--deliveries", str(deliveries),
        "--interval-months", str(interval_months), "--out", str(raw), "--no-progress",
    )  # fmt: skip
    print(f"[{datetime.now():%H:%M:%S}] {scale.name}: generate {deliveries} deliveries", flush=True)
    results = [measured_stage("generate", generate, env, PROJECT_DIR, logs)]
    if reported_failure(results[-1]):
        return results
    for label in delivery_labels(raw):
        commands = {
            f"load_{label}": python_command(
                "-m", "scripts.load", "--raw-dir", str(raw / label), "--delivery", label,
                "--reference-dir", str(REFERENCE_DIR), "--out", str(warehouse / "raw.duckdb"),
                "--no-progress", *in_place,
            ),
            f"build_{label}": python_command("-m", "scripts.build"),
        }  # fmt: skip
        for stage, command in commands.items():
            print(f"[{datetime.now():%H:%M:%S}] {scale.name}: {stage}", flush=True)
            results.append(measured_stage(stage, command, env, PROJECT_DIR, logs))
            if reported_failure(results[-1]):
                return results
    return results


def incremental_targets(stages: list[StageResult]) -> dict[str, dict[str, object]]:
    """Each build after the first against the first: the ratio and whether it is within
    INCREMENTAL_TARGET."""
    builds = [stage for stage in stages if stage.stage.startswith("build_")]
    failed = [stage.stage for stage in stages if stage.failed]
    judged: dict[str, dict[str, object]] = {
        "completed": {"value": "yes" if not failed else f"no, failed at {failed[0]}",
                      "target": "every stage", "met": not failed},
    }  # fmt: skip
    if not builds or builds[0].failed:
        return judged
    first = max(builds[0].wall_s, 0.01)
    for number, build in enumerate(builds[1:], start=2):
        if build.failed:
            break
        ratio = round(build.wall_s / first, 2)
        judged[f"{build.stage}_vs_first"] = {
            "value": ratio,
            "target": f"<= {INCREMENTAL_TARGET} (delivery {number} of {len(builds)})",
            "met": ratio <= INCREMENTAL_TARGET,
        }
    return judged


def delivery_results(
    scale: Scale, work: Path, deliveries: int, interval_months: int
) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    started, commit = datetime.now(UTC), git_commit()
    stages = delivery_stages(scale, work, deliveries, interval_months)
    return {
        "scale": scale.name,
        "deliveries": deliveries,
        "interval_months": interval_months,
        "generate_args": list(scale.generate_args),
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": commit,
        "stages": [stage.as_dict() for stage in stages],
        "targets": incremental_targets(stages),
    }
