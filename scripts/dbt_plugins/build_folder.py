"""dbt-duckdb plugin: prepares dbt's working copies before DuckDB opens anything.

Every dbt command on DuckDB writes into `<warehouse>/build/` (profiles.yml), never into the
published databases that BI tools hold open. Before the connection opens, this plugin:
- stops with a one-line message when the raw layer has not been loaded (and creates nothing);
- takes the build lock (one dbt command or build at a time; the message names the holder);
- makes the process's new files owner-only (umask 077: the build databases, their write-ahead
  logs and DuckDB's spill files hold personal data) and closes the build and spill folders;
- finishes a publication that was interrupted, then, when the build folder is empty (after
  `python -m scripts.build` published it), starts it from a copy of the published databases,
  so that `dbt test -s ...` or `dbt docs generate` work on what was last built.
`python -m scripts.build` runs dbt with BDT_FRESH_BUILD=1 (no copy: a new build) and holds
the lock itself (BDT_BUILD_LOCK_HELD=1).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.events.logging import AdapterLogger
from dbt_common.exceptions import DbtRuntimeError

from scripts.build.paths import (
    BI_DATABASE,
    raw_layer_missing,
    warehouse_folder,
)
from scripts.build.publication import copied_published, finished_interrupted_publication
from scripts.locking import LockHeld, acquired_lock, lock_wait_seconds
from scripts.restricted_files import OWNER_ONLY_UMASK, owner_only_folder

FRESH_BUILD_VARIABLE = "BDT_FRESH_BUILD"
LOCK_HELD_VARIABLE = "BDT_BUILD_LOCK_HELD"
logger = AdapterLogger("bdt")
# The build lock's descriptor, held until the dbt process exits.
_held_locks: list[int] = []


class WarehouseNotReady(DbtRuntimeError):
    """The build cannot start (a RuntimeError: dbt-duckdb reports it in one line)."""


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        folder = warehouse_folder(plugin_config.get("warehouse_dir"))
        if not folder.raw.is_file():
            raise WarehouseNotReady(raw_layer_missing(folder))
        os.umask(OWNER_ONLY_UMASK)
        owner_only_folder(folder.build)
        owner_only_folder(Path(plugin_config.get("spill_dir") or folder.spill))
        if os.environ.get(LOCK_HELD_VARIABLE) != "1":
            try:
                _held_locks.append(
                    acquired_lock(folder.build_lock, "dbt", lock_wait_seconds(), logger.info)
                )
            except LockHeld as exc:
                raise WarehouseNotReady(str(exc)) from None
        for message in finished_interrupted_publication(folder):
            logger.info(message)
        fresh = os.environ.get(FRESH_BUILD_VARIABLE) == "1"
        if not fresh and not folder.build_bi.exists() and folder.bi.exists():
            copied_published(folder)
            logger.info(
                f"{folder.build}: started from a copy of the published warehouse "
                f"({folder.root / BI_DATABASE} and its restricted database)"
            )
