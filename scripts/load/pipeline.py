"""The load step: every raw file of a folder into the raw DuckDB database, all or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.contract import raw_tables

from .columns import FileColumns, file_columns, table_columns
from .database import RawDatabase
from .delimited import UTF8, DelimitedFile, checked_encoding
from .discover import RawFile, export_files, reference_files
from .duplicates import duplicates
from .excel import ExcelFile
from .load_files import SKIPPED_DUPLICATE, loaded_row, skipped_row, write_load_files
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


@dataclass(frozen=True)
class _OpenedFile:
    raw_file: RawFile
    reader: RawReader
    columns: FileColumns


def opened_reader(raw_file: RawFile, encoding: str) -> RawReader:
    """The reader of a raw file's format; its header is read and checked."""
    if raw_file.format == "xlsx":
        return ExcelFile(raw_file.path)
    if raw_file.format == "parquet":
        return ParquetFile(raw_file.path)
    return DelimitedFile(raw_file.path, encoding)


def _print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def load_raw_dir(
    raw_dir: Path,
    out: Path,
    encoding: str = UTF8,
    progress: bool = True,
    reference_dir: Path | None = None,
    warn: Callable[[str], None] = _print_warning,
    parquet_in_place: bool = False,
) -> LoadReport:
    """Load every raw file of `raw_dir` (and of `reference_dir`, when given, for the reference
    tables) into the DuckDB database `out`: schema `raw`, one table per contract table, plus
    `raw._load_files`. Every header is checked before any row is read; `out` is replaced only
    when every file loaded. A file byte-identical to another of its table is skipped with a
    warning. With `parquet_in_place`, a table fed only by Parquet files is a view
    that reads them where they lie (same columns and values, file and row of origin) instead of
    a copy: much faster for large exports, as long as the files stay there. Raises
    RawFileError."""
    report = LoadReport()

    def warning(message: str) -> None:
        report.warnings.append(message)
        warn(message)

    encoding = checked_encoding(encoding)
    found = export_files(raw_dir, warning) | reference_files(reference_dir, warning)
    opened: dict[str, list[_OpenedFile]] = {}
    load_files: list[dict[str, object]] = []
    for table in raw_tables():
        copies = duplicates(found[table.identifier], progress)
        opened[table.identifier] = []
        for raw_file in found[table.identifier]:
            if raw_file in copies:
                copy = copies[raw_file]
                warning(
                    f"{raw_file.path}: byte-identical to {copy.kept.path} (same size and "
                    "SHA-256); skipped"
                )
                load_files.append(
                    skipped_row(
                        raw_file, SKIPPED_DUPLICATE, copy.bytes, copy.sha256, copy.kept.name
                    )
                )
                continue
            reader = opened_reader(raw_file, encoding)
            columns = file_columns(
                raw_file.path, table, reader.headers, reader.header_line, reader.line_label
            )
            opened[table.identifier].append(_OpenedFile(raw_file, reader, columns))
            _warn_about_columns(opened[table.identifier][-1], warning)
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
                database.insert_batches(
                    table.identifier,
                    file.raw_file.name,
                    file.reader.batches(file.columns.names, progress),
                )
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
        write_load_files(database, load_files)
        database.commit()
    return report


def _warn_about_columns(file: _OpenedFile, warning: Callable[[str], None]) -> None:
    path = file.raw_file.path
    if file.columns.unnamed:
        warning(
            f"{path}: column(s) with an empty header loaded as {', '.join(file.columns.unnamed)}"
        )
    if file.columns.extra:
        warning(
            f"{path}: column(s) not in the contract kept as extra columns: "
            f"{', '.join(file.columns.extra)}"
        )
