"""Where the warehouse's files are: one folder (BDT_WAREHOUSE_DIR, default `warehouse`).

raw.duckdb              the raw layer (restricted), written by the loader
bdt.duckdb              the published BI database: what BI tools and the publication read
pii.duckdb              the published restricted database (identity store, quarantine)
build/bdt.duckdb        dbt's working copies: every dbt command writes here, never into
build/pii.duckdb        the published files; `python -m scripts.build` publishes them
build.lock              one build (or dbt command) at a time
publishing.json         present only while a publication is under way
duckdb_tmp/             DuckDB's spill folder unless BDT_TEMP_DIR says otherwise (restricted:
                        spilled rows hold personal data)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

WAREHOUSE_DIR_VARIABLE = "BDT_WAREHOUSE_DIR"
DEFAULT_WAREHOUSE_DIR = "warehouse"
BI_DATABASE = "bdt.duckdb"
RESTRICTED_DATABASE = "pii.duckdb"
RAW_DATABASE = "raw.duckdb"
# What a publication moves, restricted database first: a reader of the BI database never sees
# marts whose identity store is not there yet.
PUBLISHED_DATABASES = (RESTRICTED_DATABASE, BI_DATABASE)


@dataclass(frozen=True)
class WarehouseFolder:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / RAW_DATABASE

    @property
    def bi(self) -> Path:
        return self.root / BI_DATABASE

    @property
    def restricted(self) -> Path:
        return self.root / RESTRICTED_DATABASE

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def build_bi(self) -> Path:
        return self.build / BI_DATABASE

    @property
    def build_restricted(self) -> Path:
        return self.build / RESTRICTED_DATABASE

    @property
    def build_lock(self) -> Path:
        return self.root / "build.lock"

    @property
    def publication_journal(self) -> Path:
        return self.root / "publishing.json"

    @property
    def spill(self) -> Path:
        return self.root / "duckdb_tmp"


def warehouse_folder(root: str | Path | None = None) -> WarehouseFolder:
    """The warehouse folder: `root` when given, else BDT_WAREHOUSE_DIR, else `warehouse`."""
    chosen = root or os.environ.get(WAREHOUSE_DIR_VARIABLE) or DEFAULT_WAREHOUSE_DIR
    return WarehouseFolder(Path(chosen))


def raw_layer_missing(folder: WarehouseFolder) -> str:
    """What to do when the raw layer has not been loaded."""
    return (
        f"the raw layer {folder.raw} is missing: load it first with `make load` (the built-in "
        "sample) or `make run RAW_DIR=/path/to/exports`"
    )
