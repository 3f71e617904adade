"""The rows of `raw._load_files`: one per raw file found, loaded or skipped.

`RawDatabase.write_load_files` writes the table with the columns it has always had; the columns
added since (ADDED_COLUMNS: the header row, why a file was skipped) are added to it afterwards,
matched by table and file, so that the table stays as it was plus these columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from .columns import FileColumns
from .database import LOAD_FILES_TABLE, SCHEMA, RawDatabase, quoted
from .discover import RawFile
from .reading import RawReader

ADDED_COLUMNS = (
    ("header_row", pa.int64(), "bigint"),  # line/row of the header (title rows above it)
    ("skipped_reason", pa.string(), "varchar"),  # null: loaded; else SKIPPED_* below
    ("duplicate_of", pa.string(), "varchar"),  # the byte-identical file loaded instead
    ("missing_required_columns", pa.string(), "varchar"),  # what a file of another layout lacks
)
SKIPPED_DUPLICATE = "duplicate"
SKIPPED_OTHER_LAYOUT = "other_layout"
_KEY_COLUMNS = (("table", pa.string()), ("file", pa.string()))


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


def write_load_files(database: RawDatabase, rows: Sequence[dict[str, object]]) -> None:
    """The table `raw._load_files`: the database's columns, then ADDED_COLUMNS."""
    database.write_load_files(rows)
    connection = database.connection
    (catalog,) = connection.execute("select current_database()").fetchone() or ("",)
    target = f"{quoted(catalog)}.{SCHEMA}.{LOAD_FILES_TABLE}"
    for name, _, sql_type in ADDED_COLUMNS:
        connection.execute(f"alter table {target} add column {quoted(name)} {sql_type}")
    schema = pa.schema([*_KEY_COLUMNS, *((name, kind) for name, kind, _ in ADDED_COLUMNS)])
    connection.register("_load_files_added", pa.Table.from_pylist(list(rows), schema=schema))
    assignments = ", ".join(f"{quoted(n)} = added.{quoted(n)}" for n, _, _ in ADDED_COLUMNS)
    connection.execute(
        f"update {target} as files set {assignments} from _load_files_added as added "
        'where files."table" = added."table" and files.file = added.file'
    )
    connection.unregister("_load_files_added")
