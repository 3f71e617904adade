"""Where extracts and their audit log go: BDT_EXTRACTS_DIR when set (e.g. a restricted folder
kept and backed up apart from the warehouse), else <warehouse>/extracts. `make clean` keeps
<warehouse>/extracts/: lists handed over and their log are records, removed only by the data
steward's retention rules."""

from __future__ import annotations

import os
from pathlib import Path

from scripts.build.paths import WarehouseFolder

EXTRACTS_DIR_VARIABLE = "BDT_EXTRACTS_DIR"
EXTRACTS_FOLDER = "extracts"


def extracts_folder(folder: WarehouseFolder) -> Path:
    """The default folder of the extracts and their audit log (restricted, never output/)."""
    configured = os.environ.get(EXTRACTS_DIR_VARIABLE, "").strip()
    return Path(configured) if configured else folder.root / EXTRACTS_FOLDER
