"""Which files feed which raw table: the exports folder (BDT, PKH, FKP) and the optional
reference folder (region code lists, file patterns relative to it)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scripts.contract import FILE_EXTENSIONS, RawTable, export_tables, reference_tables

from .errors import RawFileError

# Tables without which the warehouse cannot be built; the others may have no file.
REQUIRED_TABLES = ("bdt_households", "bdt_individuals")
# Written by the sample generator beside the raw files (deliveries.json: the index of a series
# of delivery folders); not raw data.
IGNORED_PATTERNS = ("manifest*.json", "manifest*.csv", "deliveries.json")


@dataclass(frozen=True)
class RawFile:
    path: Path  # as given (folder / name), used in messages
    name: str  # path relative to its folder, '/'-separated: the rows' `_source_file`
    table: RawTable

    @property
    def format(self) -> str:
        """'csv', 'txt', 'xlsx' or 'parquet'."""
        return self.path.suffix.lower().lstrip(".")


def patterns_text(table: RawTable) -> str:
    """The file names a table looks for, e.g. `bdt_rt*.csv|txt|xlsx|parquet`."""
    extensions = "|".join(e.lstrip(".") for e in FILE_EXTENSIONS)
    return ", ".join(f"{p}.{extensions}" for p in table.file_patterns)


def export_files(raw_dir: Path, warn: Callable[[str], None]) -> dict[str, list[RawFile]]:
    """The files of `raw_dir` (not recursive) per export table identifier, in sorted file name
    order. Unmatched files are warned about and skipped; a file matching two tables, or a
    required table without a file, is an error."""
    if not raw_dir.is_dir():
        raise RawFileError(raw_dir, "no such folder")
    tables = export_tables()
    found: dict[str, list[RawFile]] = {t.identifier: [] for t in tables}
    for path in sorted(p for p in raw_dir.iterdir() if p.is_file()):
        name = path.name
        if any(fnmatch.fnmatchcase(name.lower(), p) for p in IGNORED_PATTERNS):
            continue
        matching = [t for t in tables if t.matches(name)]
        if len(matching) > 1:
            names = " and ".join(t.identifier for t in matching)
            raise RawFileError(path, f"the file name matches two raw tables: {names}")
        if not matching:
            warn(
                f"{path}: matches no raw table (file names looked for: "
                f"{'; '.join(patterns_text(t) for t in tables)}; letter case ignored); skipped"
            )
            continue
        found[matching[0].identifier].append(RawFile(path, name, matching[0]))
    check_required_tables(raw_dir, found)
    for table in tables:
        if not found[table.identifier]:
            warn(
                f"{raw_dir}: no file for raw table {table.identifier} ({patterns_text(table)}); "
                "it is created empty"
            )
    return found


def check_required_tables(raw_dir: Path, found: dict[str, Sequence[object]]) -> None:
    """RawFileError when a required table has no file (`found`: files per table identifier)."""
    missing = [
        t for t in export_tables() if t.identifier in REQUIRED_TABLES and not found[t.identifier]
    ]
    if missing:
        wanted = "; ".join(f"{t.identifier} ({patterns_text(t)})" for t in missing)
        raise RawFileError(
            raw_dir, f"no file for the required raw table(s) {wanted}; letter case ignored"
        )


def reference_files(
    reference_dir: Path | None, warn: Callable[[str], None]
) -> dict[str, list[RawFile]]:
    """The files of the reference folder per reference table identifier (each pattern is a path
    relative to the folder); none when no folder is given (the tables are then created empty)."""
    tables = reference_tables()
    found: dict[str, list[RawFile]] = {t.identifier: [] for t in tables}
    if reference_dir is None:
        return found
    if not reference_dir.is_dir():
        raise RawFileError(reference_dir, "no such folder")
    for table in tables:
        folders = sorted({PurePosixPath(p).parent for p in table.file_patterns})
        for folder in folders:
            directory = reference_dir / folder
            if not directory.is_dir():
                continue
            for path in sorted(p for p in directory.iterdir() if p.is_file()):
                name = (folder / path.name).as_posix()
                if table.matches(name):
                    found[table.identifier].append(RawFile(path, name, table))
        if not found[table.identifier]:
            warn(
                f"{reference_dir}: no file for reference table {table.identifier} "
                f"({patterns_text(table)}); it is created empty"
            )
    return found
