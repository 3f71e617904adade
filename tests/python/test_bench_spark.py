"""The benchmark's measurement of stages whose processes outlive them (the JVM of a Spark stage)
and the Spark section of docs/benchmarks.md."""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.bench.measure import measured_stage
from scripts.bench.report import spark_markdown
from scripts.bench.spark import DUCKDB_COUNTERPART

ORPHAN_CPU_S = 1.5
# A stage that starts a grandchild burning ORPHAN_CPU_S of CPU, and exits at once (as dbt exits
# while pyspark's JVM is still running).
LEAVE_AN_ORPHAN = (
    "import subprocess, sys;"
    "subprocess.Popen([sys.executable, '-c', 'import time\\nstart = time.process_time()\\n"
    f"while time.process_time() - start < {ORPHAN_CPU_S}: pass'])"
)


def test_the_cpu_of_a_stage_s_orphans_is_counted(tmp_path: Path) -> None:
    result = measured_stage(
        "spark_models", [sys.executable, "-c", LEAVE_AN_ORPHAN], {}, tmp_path, tmp_path / "logs"
    )
    assert not result.failed
    assert result.cpu_s >= ORPHAN_CPU_S
    assert result.wall_s >= ORPHAN_CPU_S  # the stage ends when its orphan does


def test_the_spark_section_shows_each_stage_beside_its_duckdb_counterpart() -> None:
    def stage(name: str, wall_s: float) -> dict[str, object]:
        return {"stage": name, "wall_s": wall_s, "cpu_s": wall_s * 2, "peak_rss_mib": 100.0,
                "exit_code": 0, "peak_disk_gib": 0.1, "mean_load": 3.25}  # fmt: skip

    results = {
        "scale": "1m", "layout": "province", "started_utc": "2026-01-01T00:00:00+00:00",
        "commit": "abc", "generate_args": ["--households", "10"], "raw_reused": True,
        "load_average_before": [1.0, 2.0, 3.0],
        "spark_settings": {"master": "local[*]", "driver_memory": "10g", "shuffle_partitions": "8"},
        "stages": [stage("spark_seeds", 50.0), stage("spark_models", 600.0)],
        "raw_layer_bytes": {"bdt_individuals": 2**20},
        "duckdb": {"started_utc": "x", "commit": "def",
                   "stages": [stage("models", 120.0), stage("tests", 30.0)]},
        "targets": {"completed": {"value": "yes", "target": "every stage", "met": True}},
        "machine": {"cpu": "cpu", "cores": 2, "memory_gib": 1.0, "os": "os", "python": "3",
                    "duckdb": "d", "dbt_core": "c", "dbt_duckdb": "dd", "dbt_postgres": "dp",
                    "pyspark": "4", "dbt_spark": "1"},
    }  # fmt: skip
    rows = [line for line in spark_markdown(results, DUCKDB_COUNTERPART).splitlines()]
    assert "| spark_models | 600.0 | 1,200.0 | 100 | 0.1 | 3.2 | 120.0 (models) |" in rows
    assert "| spark_seeds | 50.0 | 100.0 | 100 | 0.1 | 3.2 | - |" in rows
