"""Byte-identical copies among a table's files (a duplicate download such as `bdt_rt_1272 (1).csv`
beside `bdt_rt_1272.csv`): one is loaded, the others skipped. Only files of equal size are hashed,
so that national exports (GBs) are not read twice for nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .discover import RawFile
from .reading import file_digest, progress_bar


@dataclass(frozen=True)
class Duplicate:
    kept: RawFile  # the copy loaded
    bytes: int
    sha256: str


def _preference(file: RawFile) -> tuple[int, str]:
    """The copy loaded is the one with the shortest name (browsers add " (1)" to a second
    download), then the first in name order."""
    return len(file.name), file.name


def duplicates(files: Sequence[RawFile], progress: bool) -> dict[RawFile, Duplicate]:
    """The files that are byte-identical to another of `files`, each with the copy loaded
    instead (same size, same SHA-256)."""
    by_size: dict[int, list[RawFile]] = defaultdict(list)
    for file in files:
        by_size[file.path.stat().st_size].append(file)
    skipped: dict[RawFile, Duplicate] = {}
    for size, same_size in by_size.items():
        if len(same_size) < 2:
            continue
        by_digest: dict[str, list[RawFile]] = defaultdict(list)
        for file in same_size:
            with progress_bar(f"{file.name} (duplicate check)", size, "B", progress) as bar:
                by_digest[file_digest(file.path, bar)[1]].append(file)
        for sha256, copies in by_digest.items():
            kept, *others = sorted(copies, key=_preference)
            skipped |= {other: Duplicate(kept, size, sha256) for other in others}
    return skipped
