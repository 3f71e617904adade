"""Files that hold personal data are readable by their owner only, whatever the umask.

The raw exports (data/raw), the raw layer (raw.duckdb), the restricted database (pii.duckdb),
their write-ahead logs, DuckDB's spill files and the leftovers of a crash all hold names, NIKs
and addresses. Every process that writes them runs inside `owner_only_files()`, so that each
file it (or DuckDB on its behalf) creates is 0600 and each folder 0700; `owner_only_folder()`
also closes a folder that already existed with a wider mode. The BI database and the
publication may stay readable (`readable_by_all`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700
READABLE_FILE = 0o644


@contextmanager
def owner_only_files() -> Iterator[None]:
    """Within the block, files and folders this process creates are owner-only (umask 077);
    the previous umask is restored after it."""
    previous = os.umask(OWNER_ONLY_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def owner_only_folder(folder: Path) -> Path:
    """`folder`, created if missing, with mode 0700 (also when it existed with another)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(OWNER_ONLY_FOLDER)
    return folder


def owner_only_file(path: Path) -> Path:
    """`path` (an existing file) with mode 0600."""
    path.chmod(OWNER_ONLY_FILE)
    return path


def readable_by_all(path: Path) -> Path:
    """`path` (an existing file) with mode 0644: for files without personal data."""
    path.chmod(READABLE_FILE)
    return path


def is_owner_only(path: Path) -> bool:
    """True when neither the group nor others have any permission on `path`."""
    return not stat.S_IMODE(path.stat().st_mode) & 0o077
