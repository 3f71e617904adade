"""How the project's own tools (benchmark, tests) start dbt on a warehouse folder of their own:
the dbt executable of this Python environment, and the environment variables of the run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from scripts.contract import PROJECT_DIR


def dbt_command(*args: str) -> list[str]:
    """The dbt executable installed beside this Python, with its arguments."""
    return [str(Path(sys.executable).parent / "dbt"), *args]


def dbt_target_path() -> Path:
    """Where dbt writes its artefacts (manifest.json, run_results.json): DBT_TARGET_PATH, else
    target/ in the project folder."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_DIR / "target")


def dbt_environment(warehouse_dir: Path, secret: str, artefacts_dir: Path) -> dict[str, str]:
    """This process's environment plus what a dbt run of the project needs: the profile and
    plugin in the project folder, the DuckDB files in `warehouse_dir`, the pseudonymisation
    `secret`, and dbt's target/ and logs/ under `artefacts_dir`."""
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_DIR),
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "BDT_WAREHOUSE_DIR": str(warehouse_dir),
        "BDT_PERSON_KEY": secret,
        "DBT_TARGET_PATH": str(artefacts_dir / "target"),
        "DBT_LOG_PATH": str(artefacts_dir / "logs"),
    }
