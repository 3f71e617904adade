"""The load step: every raw file of a folder into the raw DuckDB database, all or nothing."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.contract import export_tables, reference_tables

from .columns import FileColumns, file_columns, table_columns
from .database import RawDatabase
from .delimited import UTF8, DelimitedFile, EncodingFallback, EncodingSource, checked_encoding
from .deliveries import Delivery, check_distinct_dates, deliveries_of
from .discover import RawFile, check_required_tables, export_files, reference_files
from .duplicates import duplicates
from .errors import RawFileError
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
from .reading import RawReader, file_digest
from .typed import typed_table_name


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    files: int  # files loaded (skipped ones not counted)


@dataclass
class DeliverySummary:
    """What a load did with one delivery."""

    label: str
    as_of_date: dt.date
    origin: str  # how its label was chosen
    unchanged: bool = False  # the same files as when it was loaded before: kept as it was
    tables: list[TableSummary] = field(default_factory=list)
    load_files: list[dict[str, object]] = field(default_factory=list)  # of the files loaded


@dataclass
class LoadReport:
    deliveries: list[DeliverySummary] = field(default_factory=list)
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
    delivery: str | None = None,
) -> LoadReport:
    """Load the raw files of `raw_dir` as one delivery (label `delivery`, or by default the
    date of the data; see deliveries.py), or, when `raw_dir` holds delivery folders (`2015-07/`,
    ...), each of them as one delivery in as-of date order, into the DuckDB database `out`:
    schema `raw`, one table per contract table, every row with its `_delivery`; plus
    `raw._deliveries` and `raw._load_files`; beside each table with a column map, its typed
    rows (`<table>__typed`, scripts/load/typed.py). The deliveries already in `out` are kept; a
    delivery loaded again replaces its rows (raw and typed) only. The reference tables are read from
    `reference_dir` (when given) and replaced. Every header is checked before any row is read;
    `out` is replaced only when every file of every delivery loaded. A file byte-identical to
    another of its table in the same delivery, or of another layout than its table's (see
    header.py), is skipped with a warning. `encoding` (None: detected per file) and
    `header_row` (None: searched) apply to the export files, for all or per file-name pattern
    (FileOption). With `parquet_in_place`, a table fed only by Parquet files is a view that
    reads them where they lie (same columns and values, file and row of origin) instead of a
    copy: much faster for large exports, as long as the files stay there. Raises
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
    deliveries = deliveries_of(raw_dir, delivery, warning)
    # every header of every delivery is checked before any row is read
    opened: dict[Delivery, dict[str, list[_OpenedFile]]] = {}
    load_files: dict[Delivery, list[dict[str, object]]] = {}
    for each in deliveries:
        opened[each], load_files[each] = _opened_delivery(each.raw_dir, settings)
    references, reference_rows = _opened_references(reference_dir, settings)
    with RawDatabase(out, warning) as database:
        check_distinct_dates(
            [
                *(
                    Delivery(dt.date.fromisoformat(date), label, raw_dir, "")
                    for label, date in database.deliveries().items()
                    if label not in {d.label for d in deliveries}
                ),
                *deliveries,
            ],
            out,
        )
        for table in export_tables():
            database.ensure_typed(table)
        for each in deliveries:
            summary = DeliverySummary(each.label, each.as_of_date, each.origin)
            if _unchanged_delivery(
                database, each, opened[each], load_files[each], parquet_in_place
            ):
                summary.unchanged = True
                report.deliveries.append(summary)
                continue
            _load_delivery(database, each, opened[each], settings, parquet_in_place, summary)
            rows = [*load_files[each], *summary.load_files]
            database.write_load_files([{"delivery": each.label, **row} for row in rows])
            report.deliveries.append(summary)
        for table in reference_tables():
            files = references[table.identifier]
            skipped = [row for row in reference_rows if row["table"] == table.identifier]
            if _unchanged_reference(database, table.identifier, files, skipped, reference_dir):
                database.ensure_typed(table)
                continue
            database.remove_reference_files(table.identifier)
            columns = table_columns(table, (f.columns for f in files))
            database.create_table(table.identifier, columns)
            loaded = [*skipped]
            for file in files:
                _insert_file(database, file, settings, None)
                loaded.append(loaded_row(file.raw_file, file.reader, file.columns))
            database.drop(typed_table_name(table.identifier))
            database.ensure_typed(table)
            database.write_load_files(loaded)
        database.commit()
    return report


def _unchanged_delivery(
    database: RawDatabase,
    delivery: Delivery,
    opened: dict[str, list[_OpenedFile]],
    skipped: list[dict[str, object]],
    parquet_in_place: bool,
) -> bool:
    """Whether the delivery was loaded before, with the same as-of date, the same way (copied or
    read in place) and from files of the same names and SHA-256: loading it again would change
    nothing, so its rows (and their load time, on which the history's incremental builds rest)
    are kept."""
    if database.deliveries().get(delivery.label) != delivery.as_of_date.isoformat():
        return False
    for table, files in opened.items():
        if files and _read_in_place(files, parquet_in_place) != (database.kind_of(table) == "VIEW"):
            return False
    paths = {f.raw_file.name: f.raw_file.path for files in opened.values() for f in files}
    paths |= {str(row["file"]): delivery.raw_dir / str(row["file"]) for row in skipped}
    return _same_files_as_loaded(paths, database.loaded_files(delivery.label))


def _unchanged_reference(
    database: RawDatabase,
    table: str,
    files: list[_OpenedFile],
    skipped: list[dict[str, object]],
    reference_dir: Path | None,
) -> bool:
    """Whether a reference list's raw table holds the rows of files of the same names and
    SHA-256 as those found now: then it (and its typed table) is kept, not loaded again."""
    if database.kind_of(table) is None or reference_dir is None:
        return False
    paths = {f.raw_file.name: f.raw_file.path for f in files}
    paths |= {str(row["file"]): reference_dir / str(row["file"]) for row in skipped}
    return bool(paths) and _same_files_as_loaded(paths, database.loaded_files(None, table))


def _same_files_as_loaded(paths: dict[str, Path], before: dict[str, str | None]) -> bool:
    """Whether the files found now (name -> path) are those loaded before (name -> SHA-256):
    the same names, and each with the same SHA-256."""
    if sorted(paths) != sorted(before):
        return False
    return all(before[name] == file_digest(path)[1] for name, path in paths.items())


def _read_in_place(files: list[_OpenedFile], parquet_in_place: bool) -> bool:
    """Whether a table's files are read where they lie (a view) rather than copied."""
    return bool(
        parquet_in_place and files and all(isinstance(f.reader, ParquetFile) for f in files)
    )


def _opened_delivery(
    raw_dir: Path, settings: _Settings
) -> tuple[dict[str, list[_OpenedFile]], list[dict[str, object]]]:
    """The export files of one delivery's folder opened (headers checked) per table, and the
    rows of raw._load_files of the files skipped."""
    exports = export_files(raw_dir, settings.warning)
    _warn_about_unmatched_patterns(
        settings, raw_dir, [f.name for fs in exports.values() for f in fs]
    )
    load_files: list[dict[str, object]] = []
    opened = {
        table.identifier: _opened_files(exports[table.identifier], settings, load_files)
        for table in export_tables()
    }
    check_required_tables(raw_dir, opened)
    return opened, load_files


def _opened_references(
    reference_dir: Path | None, settings: _Settings
) -> tuple[dict[str, list[_OpenedFile]], list[dict[str, object]]]:
    """The reference lists opened per table, and the rows of raw._load_files of those skipped."""
    found = reference_files(reference_dir, settings.warning)
    load_files: list[dict[str, object]] = []
    opened = {
        table.identifier: _opened_files(found[table.identifier], settings, load_files)
        for table in reference_tables()
    }
    return opened, load_files


def _load_delivery(
    database: RawDatabase,
    delivery: Delivery,
    opened: dict[str, list[_OpenedFile]],
    settings: _Settings,
    parquet_in_place: bool,
    summary: DeliverySummary,
) -> None:
    """One delivery into the raw database: its previous rows (if loaded before) removed, its
    files appended to their tables (or read in place), its row of raw._deliveries written. The
    rows of raw._load_files of its loaded files are appended to `summary.load_files`."""
    label = delivery.label
    tables = [t.identifier for t in export_tables()]
    database.remove_delivery(label, [*tables, *(typed_table_name(t) for t in tables)])
    database.record_delivery(label, delivery.as_of_date.isoformat(), delivery.raw_dir)
    for table in export_tables():
        files = opened[table.identifier]
        columns = table_columns(table, (f.columns for f in files))
        others = database.other_deliveries_in(table.identifier, label)
        is_view = database.kind_of(table.identifier) == "VIEW"
        in_place = _read_in_place(files, parquet_in_place)
        if files and others and bool(in_place) != is_view:
            raise RawFileError(
                delivery.raw_dir,
                f"raw table {table.identifier}: delivery {label} would be "
                f"{'read in place' if in_place else 'copied'} while deliveries "
                f"{', '.join(others)} are {'copied' if in_place else 'read in place'}: load every "
                "delivery of a warehouse the same way (with or without --parquet-in-place)",
            )
        if in_place:
            database.create_view(
                table.identifier,
                label,
                [
                    f.reader.in_place_select(f.columns.names, columns, f.raw_file.name)
                    for f in files
                    if isinstance(f.reader, ParquetFile)
                ],
            )
            database.insert_typed(table, label)
            summary.load_files += [loaded_row(f.raw_file, f.reader, f.columns) for f in files]
            rows = sum(f.reader.details.rows for f in files)
            summary.tables.append(TableSummary(table.identifier, rows, len(files)))
            continue
        if is_view and others:
            database.create_view(table.identifier, label, [])  # this delivery has no file
            summary.tables.append(TableSummary(table.identifier, 0, 0))
            continue
        database.ensure_table(table.identifier, columns)
        rows = 0
        for file in files:
            _insert_file(database, file, settings, label)
            details = file.reader.details
            if details.empty_rows_skipped:
                settings.warning(
                    f"{file.raw_file.path}: {details.empty_rows_skipped} empty row(s) skipped"
                )
            if not details.rows:
                settings.warning(f"{file.raw_file.path}: no rows (only a header); 0 rows loaded")
            rows += details.rows
            summary.load_files.append(loaded_row(file.raw_file, file.reader, file.columns))
        database.insert_typed(table, label)
        summary.tables.append(TableSummary(table.identifier, rows, len(files)))


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


def _insert_file(
    database: RawDatabase, file: _OpenedFile, settings: _Settings, delivery: str | None
) -> None:
    """Append a file's rows to its table. A CSV/TXT file with a byte that does not decode in
    the encoding guessed for it is read again in the next candidate (the failed INSERT left
    no rows)."""
    while True:
        batches = file.reader.batches(file.columns.names, settings.progress)
        try:
            database.insert_batches(
                file.raw_file.table.identifier, file.raw_file.name, batches, delivery
            )
            return
        except EncodingFallback as exc:
            settings.warning(f"{exc} (the file is read again from its start)")
