"""The files of an extract: an Excel workbook (a cover sheet stating who asked, for what, on
what legal basis, with which criteria, how many rows, when, and the confidentiality clause;
then the list) with RAHASIA in the header and footer of every printed page, and the same list
as CSV. Both are written owner-only."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scripts.restricted_files import owner_only_file, owner_only_files

CONFIDENTIAL_MARK = "RAHASIA"
CONFIDENTIALITY_CLAUSE = (
    "RAHASIA. Daftar ini memuat data pribadi (UU 27/2022 tentang Pelindungan Data Pribadi; "
    "UU 11/2008 ITE pasal 26; PP 82/2012 pasal 15). Hanya untuk tujuan yang tercantum di atas, "
    "oleh penerima yang tercantum; dilarang digandakan, diteruskan kepada pihak lain atau "
    "diumumkan; dimusnahkan setelah tujuan tercapai."
)
COVER_SHEET = "Sampul"
LIST_SHEET = "Daftar"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
COVER_LABEL_WIDTH = 26
COVER_VALUE_WIDTH = 90
LIST_COLUMN_WIDTH = 22


@dataclass(frozen=True)
class Cover:
    title: str
    lines: Sequence[tuple[str, str]]


def mark_confidential(sheet: Worksheet) -> None:
    """RAHASIA in the header and footer of every printed page of the sheet, with page numbers."""
    for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
        header_footer.center.text = CONFIDENTIAL_MARK
        header_footer.center.font = "Arial,Bold"
    for header_footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
        header_footer.left.text = CONFIDENTIAL_MARK
        header_footer.right.text = "&P / &N"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def cover_sheet(sheet: Worksheet, cover: Cover) -> None:
    sheet.title = COVER_SHEET
    sheet["A1"] = f"{CONFIDENTIAL_MARK} - {cover.title}"
    sheet["A1"].font = TITLE_FONT
    for offset, (label, value) in enumerate(cover.lines, start=3):
        sheet.cell(row=offset, column=1, value=label).font = BOLD
        sheet.cell(row=offset, column=2, value=value).alignment = WRAP
    clause_row = len(cover.lines) + 4
    sheet.cell(row=clause_row, column=1, value=CONFIDENTIAL_MARK).font = BOLD
    sheet.cell(row=clause_row, column=2, value=CONFIDENTIALITY_CLAUSE).alignment = WRAP
    sheet.column_dimensions["A"].width = COVER_LABEL_WIDTH
    sheet.column_dimensions["B"].width = COVER_VALUE_WIDTH
    mark_confidential(sheet)


def list_sheet(sheet: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet.title = LIST_SHEET
    sheet.append(["no", *columns])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    for index in range(1, len(columns) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = LIST_COLUMN_WIDTH
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    mark_confidential(sheet)


def workbook_bytes(cover: Cover, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The workbook (cover sheet, then the list) as the bytes of an .xlsx file, built in memory:
    nothing is written to disk."""
    workbook = Workbook()
    cover_sheet(workbook.active, cover)
    list_sheet(workbook.create_sheet(), columns, rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def written_owner_only(path: Path, content: bytes) -> Path:
    """`path` with `content`, created owner-only (0600 from the first byte)."""
    with owner_only_files():
        path.write_bytes(content)
    return owner_only_file(path)


def write_workbook(
    path: Path, cover: Cover, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Path:
    """The workbook (cover sheet, then the list), written owner-only."""
    return written_owner_only(path, workbook_bytes(cover, columns, rows))


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """The list as CSV (UTF-8, a header row, dates ISO 8601), written owner-only."""
    with owner_only_files(), path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(["" if value is None else value for value in row] for row in rows)
    return owner_only_file(path)
