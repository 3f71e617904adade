"""The dbt unit tests (`unit_tests:` in the models' YAML) on their own, in seconds: they need
their models' parents to exist only as empty relations, so the parents are built with `--empty`
on the raw layer of a tiny generated sample. The full builds run them too (dbt build)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from scripts.contract import PROJECT_DIR
from scripts.dbt_environment import dbt_command, dbt_environment
from tests.python.warehouse import TEST_SECRET, load_command, run_generator

# Every unit test and what it needs upstream: seeds and models, built empty.
UNIT_TESTS_AND_PARENTS = (
    "build", "--empty", "--select", "+test_type:unit",
    "--resource-type", "model", "seed", "unit_test",
)  # fmt: skip


def test_every_dbt_unit_test_passes_on_empty_parents(tmp_path: Path) -> None:
    raw_dir = run_generator(tmp_path / "raw", "--households", "30", "--seed", "1")
    folder = tmp_path / "warehouse"
    env = dbt_environment(folder, TEST_SECRET, tmp_path)
    subprocess.run(
        load_command(raw_dir, folder / "raw.duckdb"),
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    result = subprocess.run(
        dbt_command(*UNIT_TESTS_AND_PARENTS),
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    run_results = json.loads((tmp_path / "target" / "run_results.json").read_text())
    statuses = {
        entry["unique_id"]: entry["status"]
        for entry in run_results["results"]
        if entry["unique_id"].startswith("unit_test.")
    }
    assert len(manifest["unit_tests"]) >= 10
    assert statuses == dict.fromkeys(manifest["unit_tests"], "pass")
