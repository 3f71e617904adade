"""The load step: every raw file of a folder into the raw DuckDB database, all or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.contract import raw_tables

from .columns import FileColumns, file_columns, table_columns
from .database import RawDatabase
from .delimited import UTF8, DelimitedFile, EncodingFallback, EncodingSource, checked_encoding
from .discover import RawFile, check_required_tables, export_files, reference_files
from .duplicates import duplicates
from .excel import ExcelFile
from .header import HeaderSearch, OtherLayoutError, checked_header_row
from .load_files import (
    SKIPPED_DUPLICATE,
    SKIPPED_OTHER_LAYOUT,
    loaded_row,
    skipped_row,
)
from .options import FileOption, file_option
from .parquet import ParquetFile
from .reading import RawReader


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    files: int  # files loaded (skipped ones not counted)


@dataclass
class LoadReport:
    tables: list[TableSummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the encoding each CSV/TXT is read in


@dataclass(frozen=True)
class _OpenedFile:
    raw_file: RawFile
    reader: RawReader
    columns: FileColumns


@dataclass(frozen=True)
class _Settings:
    """How the files are opened and what is said about them."""

    encodings: FileOption[str]  # None: detected
    header_rows: FileOption[int]  # None: searched
    progress: bool
    warning: Callable[[str], None]
    note: Callable[[str], None]


def opened_reader(
    raw_file: RawFile, encodings: FileOption[str], header_rows: FileOption[int]
) -> RawReader:
    """The reader of a raw file's format; its header is found and checked. The options apply
    to the export files; a reference list is UTF-8, its header searched."""
    table = raw_file.table
    search = HeaderSearch(
        table, None if table.is_reference else header_rows.value_for(raw_file.name)
    )
    if raw_file.format == "xlsx":
        return ExcelFile(raw_file.path, search)
    if raw_file.format == "parquet":
        return ParquetFile(raw_file.path, search)
    if table.is_reference:
        return DelimitedFile(raw_file.path, search, UTF8, EncodingSource.REFERENCE)
    return DelimitedFile(raw_file.path, search, encodings.value_for(raw_file.name))


def _print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _print_note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def load_raw_dir(
    raw_dir: Path,
    out: Path,
    encoding: str | FileOption[str] | None = None,
    progress: bool = True,
    reference_dir: Path | None = None,
    warn: Callable[[str], None] = _print_warning,
    parquet_in_place: bool = False,
    header_row: int | FileOption[int] | None = None,
    inform: Callable[[str], None] = _print_note,
) -> LoadReport:
    """Load every raw file of `raw_dir` (and of `reference_dir`, when given, for the reference
    tables) into the DuckDB database `out`: schema `raw`, one table per contract table, plus
    `raw._load_files`. Every header is checked before any row is read; `out` is replaced only
    when every file loaded. A file byte-identical to another of its table, or of another layout
    than its table's (see header.py), is skipped with a warning. `encoding` (None: detected per
    file) and `header_row` (None: searched) apply to the export files, for all or per file-name
    pattern (FileOption). With `parquet_in_place`, a table fed only by Parquet files is a view
    that reads them where they lie (same columns and values, file and row of origin) instead of
    a copy: much faster for large exports, as long as the files stay there. Raises
    RawFileError."""
    report = LoadReport()

    def warning(message: str) -> None:
        report.warnings.append(message)
        warn(message)

    def note(message: str) -> None:
        report.notes.append(message)
        inform(message)

    encodings = file_option(encoding).mapped(checked_encoding)
    header_rows = file_option(header_row).mapped(checked_header_row)
    settings = _Settings(encodings, header_rows, progress, warning, note)
    exports = export_files(raw_dir, warning)
    _warn_about_unmatched_patterns(
        settings, raw_dir, [f.name for fs in exports.values() for f in fs]
    )
    found = exports | reference_files(reference_dir, warning)
    opened: dict[str, list[_OpenedFile]] = {}
    load_files: list[dict[str, object]] = []
    for table in raw_tables():
        opened[table.identifier] = _opened_files(found[table.identifier], settings, load_files)
    check_required_tables(raw_dir, opened)
    with RawDatabase(out) as database:
        for table in raw_tables():
            files = opened[table.identifier]
            columns = table_columns(table, (f.columns for f in files))
            if parquet_in_place and files and all(isinstance(f.reader, ParquetFile) for f in files):
                database.create_view(
                    table.identifier,
                    [
                        f.reader.in_place_select(f.columns.names, columns, f.raw_file.name)
                        for f in files
                        if isinstance(f.reader, ParquetFile)
                    ],
                )
                load_files += [loaded_row(f.raw_file, f.reader, f.columns) for f in files]
                rows = sum(f.reader.details.rows for f in files)
                report.tables.append(TableSummary(table.identifier, rows, len(files)))
                continue
            database.create_table(table.identifier, columns)
            rows = 0
            for file in files:
                _insert_file(database, file, settings)
                details = file.reader.details
                if details.empty_rows_skipped:
                    warning(
                        f"{file.raw_file.path}: {details.empty_rows_skipped} empty row(s) skipped"
                    )
                if not details.rows:
                    warning(f"{file.raw_file.path}: no rows (only a header); 0 rows loaded")
                rows += details.rows
                load_files.append(loaded_row(file.raw_file, file.reader, file.columns))
            report.tables.append(TableSummary(table.identifier, rows, len(files)))
        database.write_load_files(load_files)
        database.commit()
    return report


def _warn_about_unmatched_patterns(
    settings: _Settings, raw_dir: Path, file_names: list[str]
) -> None:
    options = (("--encoding", settings.encodings), ("--header-row", settings.header_rows))
    for option, values in options:
        for pattern in values.unmatched_patterns(file_names):
            settings.warning(f"{option} {pattern}: matches no raw file of {raw_dir}")


def _opened_files(
    files: list[RawFile], settings: _Settings, load_files: list[dict[str, object]]
) -> list[_OpenedFile]:
    """The files of a table opened (header found and checked), in order; the duplicates and
    the files of another layout skipped with a warning and a row in `load_files`."""
    copies = duplicates(files, settings.progress)
    opened: list[_OpenedFile] = []
    for raw_file in files:
        if raw_file in copies:
            copy = copies[raw_file]
            settings.warning(
                f"{raw_file.path}: byte-identical to {copy.kept.path} (same size and SHA-256); "
                "skipped"
            )
            load_files.append(
                skipped_row(raw_file, SKIPPED_DUPLICATE, copy.bytes, copy.sha256, copy.kept.name)
            )
            continue
        try:
            reader = opened_reader(raw_file, settings.encodings, settings.header_rows)
        except OtherLayoutError as exc:
            settings.warning(f"{exc}; skipped")
            size = raw_file.path.stat().st_size
            load_files.append(
                skipped_row(raw_file, SKIPPED_OTHER_LAYOUT, size, missing_required=exc.missing)
            )
            continue
        columns = file_columns(
            raw_file.path, raw_file.table, reader.headers, reader.header_line, reader.line_label
        )
        opened.append(_OpenedFile(raw_file, reader, columns))
        _report_opened(opened[-1], settings)
    return opened


def _report_opened(file: _OpenedFile, settings: _Settings) -> None:
    """What the loader says about a file it opened: encoding, title rows, columns."""
    path, reader = file.raw_file.path, file.reader
    if isinstance(reader, DelimitedFile):
        for rejected in reader.rejected_encodings:
            settings.warning(rejected)
        if not reader.rejected_encodings:
            settings.note(f"{path}: read as {reader.encoding} ({reader.encoding_source})")
    if reader.header_line is not None and reader.header_line > 1:
        label = reader.line_label
        settings.warning(
            f"{path}: {reader.header_line - 1} {label}(s) above the header skipped (header on "
            f"{label} {reader.header_line})"
        )
    if file.columns.unnamed:
        settings.warning(
            f"{path}: column(s) with an empty header loaded as {', '.join(file.columns.unnamed)}"
        )
    if file.columns.extra:
        settings.warning(
            f"{path}: column(s) not in the contract kept as extra columns: "
            f"{', '.join(file.columns.extra)}"
        )


def _insert_file(database: RawDatabase, file: _OpenedFile, settings: _Settings) -> None:
    """Append a file's rows to its table. A CSV/TXT file with a byte that does not decode in
    the encoding guessed for it is read again in the next candidate (the failed INSERT left
    no rows)."""
    while True:
        batches = file.reader.batches(file.columns.names, settings.progress)
        try:
            database.insert_batches(file.raw_file.table.identifier, file.raw_file.name, batches)
            return
        except EncodingFallback as exc:
            settings.warning(f"{exc} (the file is read again from its start)")
