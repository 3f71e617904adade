"""The cost of a new delivery: `python -m scripts.bench --scale 1m --deliveries 4`.

Generates the scale's population as successive deliveries, then, one delivery at a time, oldest
first, as an operator receives them: loads it (`python -m scripts.load --delivery`) and builds
and publishes the warehouse (`python -m scripts.build`, which builds the new delivery only: the
history of the earlier ones is carried over from the published build). Each build is judged
against the first one: adding a delivery should cost at most `INCREMENTAL_TARGET` times the
first delivery's build, whatever the length of the history. The registry's data grows as well
(each delivery holds every PKH stage paid before its date: the first holds none), so the last
delivery is also built alone, in a warehouse of its own: the ratio of its build within the
history to that build is what the history itself costs.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scripts.bench.measure import StageResult, measured_stage, reported_failure
from scripts.bench.runs import (
    REFERENCE_DIR,
    Scale,
    bench_environment,
    completed_target,
    git_commit,
    python_command,
    raw_reusable,
)
from scripts.contract import PROJECT_DIR
from scripts.generate.manifest import DELIVERIES, previous_deliveries

# A build after a new delivery, against the first delivery's build (issue #13).
INCREMENTAL_TARGET = 1.3


def series_reusable(scale: Scale, raw: Path, deliveries: int, interval_months: int) -> bool:
    """True when `raw` holds a complete series of an earlier run with the same arguments."""
    labels = previous_deliveries(raw)
    if not labels:
        return False
    index = json.loads((raw / DELIVERIES).read_text(encoding="utf-8"))
    return (
        len(labels) == deliveries
        and index.get("interval_months") == interval_months
        and raw_reusable(scale, raw / labels[-1])
    )


def _load_and_build(
    scale: Scale, raw: Path, label: str, warehouse: Path, stage_prefix: str = ""
) -> dict[str, list[str]]:
    """The commands that load one delivery into `warehouse` and build it, by stage name."""
    in_place = ["--parquet-in-place"] if "parquet" in scale.generate_args else []
    return {
        f"{stage_prefix}load_{label}": python_command(
            "-m", "scripts.load", "--raw-dir", str(raw / label), "--delivery", label,
            "--reference-dir", str(REFERENCE_DIR), "--out", str(warehouse / "raw.duckdb"),
            "--no-progress", *in_place,
        ),
        f"{stage_prefix}build_{label}": python_command("-m", "scripts.build"),
    }  # fmt: skip


def delivery_stages(
    scale: Scale, work: Path, deliveries: int, interval_months: int, reuse_raw: bool = False
) -> list[StageResult]:
    """generate, then load_<label> and build_<label> per delivery, then the last delivery
    loaded and built alone (alone_load_<label>, alone_build_<label>): each measured, up to the
    first that fails (included)."""
    logs, raw = work / "logs", work / "raw"
    results: list[StageResult] = []
    if reuse_raw and series_reusable(scale, raw, deliveries, interval_months):
        print(f"{scale.name}: reusing the series in {raw}", flush=True)
    else:
        generate = python_command(
            "-m", "scripts.generate", *scale.generate_args, "--deliveries", str(deliveries),
            "--interval-months", str(interval_months), "--out", str(raw), "--no-progress",
        )  # fmt: skip
        print(f"[{datetime.now():%H:%M:%S}] {scale.name}: generate", flush=True)
        env = bench_environment(work)
        results.append(measured_stage("generate", generate, env, PROJECT_DIR, logs))
        if reported_failure(results[-1]):
            return results
    labels = previous_deliveries(raw)
    runs = [(work / "warehouse", label, "") for label in labels]
    runs.append((work / "warehouse_alone", labels[-1], "alone_"))
    for warehouse in (work / "warehouse", work / "warehouse_alone"):
        shutil.rmtree(warehouse, ignore_errors=True)
    for warehouse, label, prefix in runs:
        env = bench_environment(work, warehouse)
        for stage, command in _load_and_build(scale, raw, label, warehouse, prefix).items():
            print(f"[{datetime.now():%H:%M:%S}] {scale.name}: {stage}", flush=True)
            results.append(measured_stage(stage, command, env, PROJECT_DIR, logs))
            if reported_failure(results[-1]):
                return results
    return results


def incremental_targets(stages: list[StageResult]) -> dict[str, dict[str, object]]:
    """Each build after the first against the first: the ratio and whether it is within
    INCREMENTAL_TARGET."""
    builds = [stage for stage in stages if stage.stage.startswith("build_")]
    alone = [stage for stage in stages if stage.stage.startswith("alone_build_")]
    judged: dict[str, dict[str, object]] = {"completed": completed_target(stages)}
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
    if alone and not alone[0].failed and len(builds) > 1 and not builds[-1].failed:
        ratio = round(builds[-1].wall_s / max(alone[0].wall_s, 0.01), 2)
        judged[f"{builds[-1].stage}_vs_alone"] = {
            "value": ratio,
            "target": f"<= {INCREMENTAL_TARGET} (the same delivery built without history)",
            "met": ratio <= INCREMENTAL_TARGET,
        }
    return judged


def delivery_results(
    scale: Scale, work: Path, deliveries: int, interval_months: int, reuse_raw: bool = False
) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    started, commit = datetime.now(UTC), git_commit()
    stages = delivery_stages(scale, work, deliveries, interval_months, reuse_raw)
    return {
        "scale": scale.name,
        "deliveries": deliveries,
        "interval_months": interval_months,
        "generate_args": list(scale.generate_args),
        "started_utc": started.isoformat(timespec="seconds"),
        "commit": commit,
        "raw_reused": not any(stage.stage == "generate" for stage in stages),
        "stages": [stage.as_dict() for stage in stages],
        "targets": incremental_targets(stages),
    }
