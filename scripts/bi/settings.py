"""Where the dashboard's pieces are, and the names the assets and the tests share."""

from __future__ import annotations

import os
from pathlib import Path

from scripts.contract import PROJECT_DIR

BI_VENV = PROJECT_DIR / ".venv-bi"
BI_BIN = BI_VENV / "bin"
# Superset's metadata (SQLite), its server log and pid file: git-ignored.
DEFAULT_BI_HOME = PROJECT_DIR / ".bi"
CONFIG_FILE = PROJECT_DIR / "bi" / "superset_config.py"
# The exported dashboard, unpacked (metadata.yaml, databases/, datasets/, charts/, dashboards/).
ASSETS_DIR = PROJECT_DIR / "bi" / "superset"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "bdt.duckdb"
SECRETS_DIR = PROJECT_DIR / ".secrets"
DEFAULT_PORT = 8088
HOST = "127.0.0.1"
# The database name and dashboard slug of the assets.
DATABASE_NAME = "BDT warehouse (BI tier)"
DASHBOARD_SLUG = "bdt-households"
# In the versioned database asset, the BI database's URI names this placeholder; the import
# puts the warehouse's absolute path in its place.
WAREHOUSE_PLACEHOLDER = "{warehouse}"


def bi_home() -> Path:
    """The metadata folder: BDT_BI_HOME from the environment, else .bi/ in the project."""
    return Path(os.environ.get("BDT_BI_HOME") or DEFAULT_BI_HOME).resolve()


def port() -> int:
    """The port: BDT_BI_PORT from the environment, else DEFAULT_PORT."""
    return int(os.environ.get("BDT_BI_PORT") or DEFAULT_PORT)
