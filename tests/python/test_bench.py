"""The benchmark's measurement of one stage and its report of a run that failed part way."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scripts.bench.measure import measured_stage
from scripts.bench.report import appended_markdown
from scripts.bench.runs import SCALES, raw_reusable, targets

WRITE_THEN_FAIL = (
    "import pathlib, sys, time;"
    "pathlib.Path(sys.argv[1]).write_bytes(b'x' * (64 << 20));"
    "time.sleep(1);"
    "pathlib.Path(sys.argv[1]).unlink();"
    "sys.exit(3)"
)


def test_a_failed_stage_is_measured_with_its_exit_code_and_peak_disk(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = measured_stage(
        "models",
        [sys.executable, "-c", WRITE_THEN_FAIL, str(work / "spill.bin")],
        env={},
        cwd=tmp_path,
        log_dir=work / "logs",
        disk_folder=work,
        disk_every_s=0.05,
    )
    assert result.failed and result.exit_code == 3
    # The 64 MiB file existed only while the stage ran: the sampler saw it, the end state did not.
    assert not (work / "spill.bin").exists()
    assert result.peak_disk_gib >= 0.06 and result.wall_s >= 1


def test_a_run_failed_part_way_meets_no_time_target_and_says_where(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    ok = measured_stage("generate", [sys.executable, "-c", "pass"], {}, tmp_path, work / "logs")
    failed = measured_stage(
        "models", [sys.executable, "-c", "raise SystemExit(2)"], {}, tmp_path, work / "logs"
    )
    stages = {stage.stage: stage for stage in (ok, failed)}
    judged = targets(SCALES["national"], stages, limit=None, peer=None)
    assert judged["completed"] == {
        "value": "no, failed at models",
        "target": "every stage",
        "met": False,
    }
    assert "total_s" not in judged
    results = {
        "scale": "national", "started_utc": "2026-01-01T00:00:00+00:00", "commit": "abc",
        "generate_args": ["--households", "10"], "stages": [ok.as_dict(), failed.as_dict()],
        "limit": None, "peer_postgres": None, "targets": judged,
        "machine": {"cpu": "cpu", "cores": 2, "memory_gib": 1.0, "os": "os", "python": "3",
                    "duckdb": "d", "dbt_core": "c", "dbt_duckdb": "dd", "dbt_postgres": "dp"},
    }  # fmt: skip
    markdown = appended_markdown(results)
    assert "| models (**failed**, exit 2) |" in markdown
    assert "Limit: not measured" in markdown
    assert "| completed | no, failed at models | every stage | **no** |" in markdown


def test_raw_files_are_reused_only_when_their_manifest_fits_the_scale(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    assert not raw_reusable(SCALES["1m"], raw)  # no manifest: nothing to reuse
    arguments = {"households": 1000000, "profile": "national", "format": "parquet"}
    (raw / "manifest.json").write_text(json.dumps({"arguments": arguments}), encoding="utf-8")
    assert raw_reusable(SCALES["1m"], raw)
    assert not raw_reusable(SCALES["national"], raw)  # 26,589,774 households wanted
    assert not raw_reusable(SCALES["tanjungbalai"], raw)  # profile tanjungbalai, CSV wanted
