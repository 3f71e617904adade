"""The rows of `raw._load_files`: one per raw file found, loaded or skipped (its columns:
LOAD_FILES_COLUMNS in database.py)."""

from __future__ import annotations

from collections.abc import Sequence

from .columns import FileColumns
from .discover import RawFile
from .reading import RawReader

SKIPPED_DUPLICATE = "duplicate"
SKIPPED_OTHER_LAYOUT = "other_layout"


def loaded_row(raw_file: RawFile, reader: RawReader, columns: FileColumns) -> dict[str, object]:
    """The row of a file loaded (its reader exhausted)."""
    details = reader.details
    return {
        "table": raw_file.table.identifier,
        "file": raw_file.name,
        "format": details.format,
        "encoding": details.encoding,
        "bom": details.bom,
        "delimiter": details.delimiter,
        "line_ending": details.line_ending,
        "header_line": ",".join(columns.headers),
        "rows": details.rows,
        "empty_rows_skipped": details.empty_rows_skipped,
        "extra_columns": ",".join(columns.extra),
        "missing_optional_columns": ",".join(columns.missing_optional),
        "bytes": details.bytes,
        "sha256": details.sha256,
        "header_row": reader.header_line,
    }


def skipped_row(
    raw_file: RawFile,
    reason: str,
    size: int,
    sha256: str | None = None,
    duplicate_of: str | None = None,
    missing_required: Sequence[str] = (),
) -> dict[str, object]:
    """The row of a file skipped (0 rows), with why."""
    return {
        "table": raw_file.table.identifier,
        "file": raw_file.name,
        "format": raw_file.format,
        "rows": 0,
        "bytes": size,
        "sha256": sha256,
        "skipped_reason": reason,
        "duplicate_of": duplicate_of,
        "missing_required_columns": ",".join(missing_required) or None,
    }
