"""Publishing a build: its databases replace the published ones by atomic renames.

A build writes `build/bdt.duckdb` and `build/pii.duckdb`. Only when its models and tests all
passed are they published: each moved over the published file by `os.replace` (atomic on one
file system). A reader that holds the old BI database open keeps reading it, whole and
unchanged, until it reconnects; a new connection opens the new one. The two renames are
covered by a journal (`publishing.json`, written first): a process killed between them leaves
the journal, and the next build or dbt command completes the publication (both databases passed
their tests) before doing anything else.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from scripts.build.paths import BI_DATABASE, PUBLISHED_DATABASES, WarehouseFolder
from scripts.restricted_files import owner_only_file, readable_by_all


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _checkpointed(path: Path) -> None:
    """Open `path` (a complete build database) and fold any write-ahead log into it, so that
    the file alone holds the data once moved (its log would not follow it)."""
    connection = duckdb.connect(str(path))
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()
    if _wal(path).exists():
        raise RuntimeError(f"{_wal(path)} is still there after a checkpoint")


def _moved_into_place(folder: WarehouseFolder, names: list[str]) -> None:
    for name in names:
        source, target = folder.build / name, folder.root / name
        if not source.exists():
            continue  # moved before an interruption
        if name == BI_DATABASE:
            readable_by_all(source)
        else:
            owner_only_file(source)
        os.replace(source, target)
        # a log left by a writer of the replaced file must never replay onto this one
        _wal(target).unlink(missing_ok=True)
    _fsync_folder(folder.root)


def published_build(folder: WarehouseFolder) -> None:
    """Publish the build folder's databases (the caller holds the build lock and has checked
    that the build passed)."""
    names = list(PUBLISHED_DATABASES)
    missing = [str(folder.build / n) for n in names if not (folder.build / n).is_file()]
    if missing:
        raise RuntimeError(f"cannot publish: {', '.join(missing)} missing")
    for name in names:
        _checkpointed(folder.build / name)
    journal = {"databases": names, "started_utc": datetime.now(UTC).isoformat()}
    partial = folder.publication_journal.with_suffix(".partial")
    partial.write_text(json.dumps(journal), encoding="utf-8")
    os.replace(partial, folder.publication_journal)
    _fsync_folder(folder.root)
    _moved_into_place(folder, names)
    folder.publication_journal.unlink()


def finished_interrupted_publication(folder: WarehouseFolder) -> list[str]:
    """Complete a publication that a killed process left half done (the caller holds the build
    lock); messages saying what was done (none when there was nothing to do)."""
    if not folder.publication_journal.is_file():
        return []
    journal = json.loads(folder.publication_journal.read_text(encoding="utf-8"))
    _moved_into_place(folder, list(journal["databases"]))
    folder.publication_journal.unlink()
    return [
        f"{folder.publication_journal}: completed the publication interrupted at "
        f"{journal['started_utc']} (its build had passed every test)"
    ]


def copied_published(folder: WarehouseFolder) -> None:
    """Copy the published databases into the build folder, each through a partial file moved
    into place (a killed copy leaves no half database under the real name)."""
    for name in PUBLISHED_DATABASES:
        source, target = folder.root / name, folder.build / name
        if source.exists():
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
