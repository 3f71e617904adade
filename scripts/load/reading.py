"""What every file format's reader provides: the header, Arrow batches of text, file details."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
from tqdm import tqdm

LINE_COLUMN = "_source_line"
HASH_CHUNK = 8 << 20


@dataclass
class FileDetails:
    """How a file was read; with the table, file name and columns, a row of `raw._load_files`."""

    format: str
    bytes: int = 0
    sha256: str = ""
    rows: int = 0
    empty_rows_skipped: int = 0
    encoding: str | None = None
    bom: bool | None = None
    delimiter: str | None = None
    line_ending: str | None = None


class RawReader(Protocol):
    """A raw file opened for loading. The header is read when the reader is made;
    `batches` reads the rows."""

    headers: tuple[str, ...]  # as spelled in the file
    header_line: int | None  # the line/row of the header (title rows above it), None for Parquet
    line_label: str  # "line" (CSV/TXT) or "row" (Excel), for messages
    details: FileDetails  # complete once `batches` is exhausted

    def batches(self, names: Sequence[str], progress: bool) -> Iterator[pa.RecordBatch]:
        """Record batches of the file's columns, as text, named `names` (one per file column),
        then `_source_line` (int64); fully empty rows (CSV, Excel) skipped."""
        ...


def lineage_batch(
    arrays: Sequence[pa.Array], names: Sequence[str], lines: np.ndarray | pa.Array
) -> pa.RecordBatch:
    """A batch of the file's columns named `names`, followed by `_source_line`."""
    return pa.RecordBatch.from_arrays(
        [*arrays, pa.array(lines, pa.int64())], names=[*names, LINE_COLUMN]
    )


def file_digest(path: Path, bar: tqdm | None = None) -> tuple[int, str]:
    """Size in bytes and SHA-256 (hex) of a file, read in chunks (counted on `bar`)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if bar is not None:
                bar.update(len(chunk))
    return size, digest.hexdigest()


def progress_bar(name: str, total: int | None, unit: str, enabled: bool) -> tqdm:
    """The per-file progress bar on stderr (bytes or rows); a no-op when disabled."""
    return tqdm(
        total=total,
        desc=name,
        unit=unit,
        unit_scale=True,
        unit_divisor=1024 if unit == "B" else 1000,
        disable=not enabled,
        leave=True,
        dynamic_ncols=True,
    )
