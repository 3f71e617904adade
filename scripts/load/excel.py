"""Excel .xlsx files: the first worksheet, every cell as faithful text; the header is found among
the leading rows (title rows above it are skipped, see header.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .errors import RawFileError
from .header import HeaderCandidate, HeaderSearch
from .reading import FileDetails, file_digest, lineage_batch, progress_bar

BATCH_ROWS = 20_000
EXACT_FLOAT_LIMIT = 1e15  # integral floats below this are shown without ".0"


def cell_text(value: Any) -> str:
    """A cell value as text, as faithfully as the workbook allows: str as is, int "123",
    integral float below 1e15 "123" (else Python repr, e.g. "1.5", "3201234567890123.0"),
    date "YYYY-MM-DD" (with " HH:MM:SS" unless midnight), bool "TRUE"/"FALSE", empty ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_FLOAT_LIMIT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _opened_sheet(path: Path) -> tuple[Any, Iterator[tuple[Any, ...]], int | None]:
    """The workbook (to close), the rows of its first worksheet (values), and the rows the
    sheet says it has (for progress only: the rows are read whatever the sheet's recorded
    dimension, which some writers get wrong and openpyxl would otherwise cut rows to)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RawFileError(path, f"not a readable .xlsx workbook ({exc})") from None
    if not workbook.worksheets:
        workbook.close()
        raise RawFileError(path, "the workbook has no worksheet")
    sheet = workbook.worksheets[0]
    recorded_rows = sheet.max_row
    sheet.reset_dimensions()
    return workbook, sheet.iter_rows(values_only=True), recorded_rows


def header_cells(values: Sequence[Any]) -> tuple[str, ...]:
    """A row's cells as header texts, without the empty cells at its end."""
    cells = [cell_text(v) for v in values]
    while cells and not cells[-1].strip():
        cells.pop()
    return tuple(cells)


class ExcelFile:
    """An .xlsx raw file. Making it finds and checks the header row of the first worksheet."""

    line_label = "row"

    def __init__(self, path: Path, search: HeaderSearch) -> None:
        self.path = path
        workbook, rows, self._total_rows = _opened_sheet(path)
        try:
            leading = list(itertools.islice(rows, search.last_row))
        finally:
            workbook.close()
        if not leading:
            raise RawFileError(path, "the file is empty")
        candidates = [
            HeaderCandidate(row, cells)
            for row, values in enumerate(leading, start=1)
            if row >= search.first_row and (cells := header_cells(values))
        ]
        header = search.chosen(path, candidates, self.line_label)
        assert header.row is not None  # a sheet row
        self.header_line = header.row
        self.headers = header.cells
        self.details = FileDetails(format="xlsx")

    def batches(self, names: Sequence[str], progress: bool) -> Iterator[pa.RecordBatch]:
        width = len(self.headers)
        details = self.details
        workbook, rows, _ = _opened_sheet(self.path)
        with progress_bar(self.path.name, self._total_rows, "row", progress) as bar:
            try:
                above = sum(1 for _ in itertools.islice(rows, self.header_line))  # and header
                bar.update(above)
                columns: list[list[str]] = [[] for _ in range(width)]
                lines: list[int] = []
                for row_number, values in enumerate(rows, start=self.header_line + 1):
                    bar.update(1)
                    texts = [cell_text(v) for v in values]
                    if not any(texts):
                        details.empty_rows_skipped += 1
                        continue
                    self._check_beyond_header(texts, width, row_number)
                    texts += [""] * (width - len(texts))
                    for column, text in zip(columns, texts, strict=False):
                        column.append(text)
                    lines.append(row_number)
                    if len(lines) == BATCH_ROWS:
                        yield self._batch(columns, names, lines)
                        columns = [[] for _ in range(width)]
                        lines = []
                if lines:
                    yield self._batch(columns, names, lines)
            finally:
                workbook.close()
        details.bytes, details.sha256 = file_digest(self.path)

    def _check_beyond_header(self, texts: list[str], width: int, row_number: int) -> None:
        for position in range(width, len(texts)):
            if texts[position]:
                raise RawFileError(
                    self.path,
                    f"a value ({texts[position][:40]!r}) in a column without header; give the "
                    "column a header or clear it",
                    line=row_number,
                    column=get_column_letter(position + 1),
                    line_label="row",
                )

    def _batch(
        self, columns: list[list[str]], names: Sequence[str], lines: list[int]
    ) -> pa.RecordBatch:
        self.details.rows += len(lines)
        return lineage_batch([pa.array(c, pa.string()) for c in columns], names, lines)
