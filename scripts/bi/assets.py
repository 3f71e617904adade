"""The versioned dashboard (bi/superset/, an unpacked Superset export) zipped with the BI
database's path put in, and imported through the REST API's asset import, which overwrites the
database, datasets, charts and dashboard already there (the dashboard import would keep the
charts and datasets of an earlier import)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from .api import Superset
from .server import Server
from .settings import ASSETS_DIR, DASHBOARD_SLUG, WAREHOUSE_PLACEHOLDER

BUNDLE_ROOT = "bdt_dashboard"
DATABASES_DIR = "databases"


def assets_bundle(warehouse: Path, assets: Path = ASSETS_DIR) -> bytes:
    """The zip Superset imports: every file of `assets` under BUNDLE_ROOT/, with the database
    URI's WAREHOUSE_PLACEHOLDER replaced by the absolute path of `warehouse`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(assets.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if path.parent.name == DATABASES_DIR:
                if WAREHOUSE_PLACEHOLDER not in text:
                    raise ValueError(f"{path} does not name {WAREHOUSE_PLACEHOLDER}")
                text = text.replace(WAREHOUSE_PLACEHOLDER, str(warehouse.resolve()))
            bundle.writestr(f"{BUNDLE_ROOT}/{path.relative_to(assets).as_posix()}", text)
    return buffer.getvalue()


def imported_dashboard(server: Server, warehouse: Path, assets: Path = ASSETS_DIR) -> str:
    """Import `assets` reading `warehouse` into `server`; returns the dashboard's URL."""
    client = Superset(server.url, server.admin)
    client.post_file(
        "/api/v1/assets/import/",
        {"passwords": json.dumps({})},
        "bundle",
        "bdt_dashboard.zip",
        assets_bundle(warehouse, assets),
    )
    return f"{server.url}/superset/dashboard/{DASHBOARD_SLUG}/"
