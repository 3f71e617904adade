"""The Excel workbook of an edition (bdt_tables.xlsx, bdt_tables_en.xlsx): a contents sheet,
then one sheet per table (title, units, each value with its base n and unknown count, notes on
definitions, source, dates and suppression, number formats of the edition's locale, frozen
header rows), every sheet set up to print on A4: fit to the page width, landscape when wide,
the title and header rows repeated on each page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from tqdm import tqdm

from . import labels
from .edition import Edition, Imprint
from .labels import CODE_HEADER, Label
from .layout import VALUE, GridColumn, PanelGrid, measures_of, panel_grids
from .model import Table

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
PANEL_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
THIN_TOP = Border(top=Side(style="thin"))
RIGHT = Alignment(horizontal="right")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
NOTE_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
FIRST_DATA_COLUMN = 3
HEADER_ROW = 5
CONTENTS_SHEET = "Daftar isi - Contents"
# Column widths (characters): code, region name, a value, its base or unknown count.
CODE_WIDTH = 11
NAME_WIDTH = 30
VALUE_WIDTH = 12
PART_WIDTH = 10
HEADER_HEIGHT = 48
SUB_HEADER_HEIGHT = 32
CONTENTS_SHEET_WIDTH = 20
CONTENTS_TITLE_WIDTH = 72
LINE_HEIGHT = 15
# A sheet wider than this (sum of column widths, in characters) does not fit an A4 portrait
# page at a readable size: it prints landscape.
PORTRAIT_MAX_WIDTH = 95


def number_format(edition: Edition, column: GridColumn, flagged: bool = False) -> str:
    """The Excel number format of a grid column in an edition: its locale, thousands
    separators, the published decimals, % for shares, none for years; a flagged value carries
    the footnote mark."""
    if column.unit == "year":
        body = "0"
    else:
        decimals = "." + "0" * column.decimals if column.decimals else ""
        body = f"0{decimals}%" if column.unit == "percent" else f"#,##0{decimals}"
    mark = f'"{labels.FLAG_MARK}"' if flagged else ""
    return f"{edition.excel_locale}{body}{mark}"


def region_header(table: Table, level: Label) -> Label:
    """Header of the region name column: the level, or 'region' when rows mix levels."""
    levels = set(table.cells["region_level"]) - {"total"}
    return level if len(levels) <= 1 and table.additive_rows else Label("Wilayah", "Region")


def written_workbook(
    tables: Sequence[Table],
    path: Path,
    *,
    edition: Edition,
    imprint: Imprint,
    progress: tqdm | None = None,
) -> Path:
    """Write the workbook of `edition`; `progress` (a tqdm bar or None) is advanced once."""
    workbook = Workbook()
    contents = workbook.active
    contents.title = CONTENTS_SHEET
    _contents_sheet(contents, tables, edition, imprint)
    for table in tables:
        _table_sheet(workbook.create_sheet(table.sheet_name), table, edition, imprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    if progress is not None:
        progress.update(1)
    return path


def general_notes(edition: Edition, imprint: Imprint) -> list[Label]:
    """The notes every sheet ends with."""
    return [
        labels.desil_note(imprint.max_desil),
        labels.suppression_note(imprint.k),
        labels.NUMBERS_NOTE,
        labels.WORKBOOK_NUMBERS_NOTE,
        labels.SOURCE_NOTE,
        imprint.dates,
    ]


def _contents_sheet(
    sheet: Worksheet, tables: Sequence[Table], edition: Edition, imprint: Imprint
) -> None:
    _title_rows(sheet, edition.text(imprint.title), labels.CONTENTS_HEADING, imprint, edition)
    row = HEADER_ROW
    for column, header in enumerate((labels.SHEET_HEADER, labels.TITLE_HEADER), start=1):
        cell = sheet.cell(row=row, column=column, value=edition.text(header))
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for table in tables:
        row += 1
        link = sheet.cell(row=row, column=1, value=table.sheet_name)
        link.hyperlink = f"#'{table.sheet_name}'!A1"
        link.font = Font(color="0563C1", underline="single")
        sheet.cell(row=row, column=2, value=_table_title(table, edition))
    widths = {1: CONTENTS_SHEET_WIDTH, 2: CONTENTS_TITLE_WIDTH}
    notes = [labels.small_base_note(imprint.small_base), *general_notes(edition, imprint)]
    _notes(sheet, row + 2, notes, edition, widths)
    _print_setup(sheet, widths, HEADER_ROW, repeat_columns=False)


def _table_title(table: Table, edition: Edition) -> str:
    return f"{edition.text(labels.TABLE_WORD)} {table.number}. {edition.text(table.title)}"


def _title_rows(
    sheet: Worksheet, title: str, subtitle: Label, imprint: Imprint, edition: Edition
) -> None:
    """Rows 1-3: the sheet's title, its subtitle, the selection."""
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = edition.text(subtitle)
    sheet["A2"].font = Font(italic=True, size=11)
    sheet["A3"] = edition.text(imprint.selection)


def _table_sheet(sheet: Worksheet, table: Table, edition: Edition, imprint: Imprint) -> None:
    _title_rows(sheet, _table_title(table, edition), imprint.title, imprint, edition)
    grids = panel_grids(table)
    row = HEADER_ROW
    header_end = HEADER_ROW
    last_headers: tuple | None = None
    for grid in grids:
        if grid.headers != last_headers:
            row = _header_rows(sheet, row, grid, region_header(table, imprint.level), edition)
            if last_headers is None:
                header_end = row - 1
            last_headers = grid.headers
        row = _panel_rows(sheet, row, grid, edition) + 1
    widths = _column_widths(grids)
    notes = [*table.notes]
    if any(grid.has_parts for grid in grids):
        notes.append(labels.small_base_note(imprint.small_base))
    row = _notes(sheet, row + 1, notes, edition, widths)
    definitions = [labels.definition_note(measure) for measure in measures_of(table)]
    row = _notes(sheet, row + 1, definitions, edition, widths, labels.DEFINITIONS_HEADING)
    general = general_notes(edition, imprint)
    _notes(sheet, row + 1, general, edition, widths, labels.GENERAL_NOTES_HEADING)
    sheet.freeze_panes = sheet.cell(row=header_end + 1, column=FIRST_DATA_COLUMN)
    _print_setup(sheet, widths, header_end, repeat_columns=True)


def _column_widths(grids: Sequence[PanelGrid]) -> dict[int, float]:
    """Width of every column of a table sheet (the widest part a column holds)."""
    widths: dict[int, float] = {1: CODE_WIDTH, 2: NAME_WIDTH}
    for grid in grids:
        for offset, column in enumerate(grid.columns):
            width = VALUE_WIDTH if column.part == VALUE else PART_WIDTH
            index = FIRST_DATA_COLUMN + offset
            widths[index] = max(widths.get(index, 0), width)
    return widths


def _header_rows(
    sheet: Worksheet, row: int, grid: PanelGrid, region: Label, edition: Edition
) -> int:
    """The header rows of a panel: the panel columns' headers, each spanning its value, base
    and unknown count, and under them what each grid column holds; returns the next row."""
    depth = 2 if grid.has_parts else 1
    for column, header in enumerate((CODE_HEADER, region), start=1):
        _header_cell(sheet, row, column, edition.text(header))
        if depth == 2:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
    column = FIRST_DATA_COLUMN
    for header, span in grid.spans:
        _header_cell(sheet, row, column, edition.text(header))
        if depth == 2 and span > 1:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row, end_column=column + span - 1
            )
        column += span
    if depth == 2:
        sheet.row_dimensions[row + 1].height = SUB_HEADER_HEIGHT
        for offset, grid_column in enumerate(grid.columns):
            _header_cell(
                sheet, row + 1, FIRST_DATA_COLUMN + offset, edition.text(grid_column.header)
            )
    sheet.row_dimensions[row].height = HEADER_HEIGHT
    return row + depth


def _header_cell(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = sheet.cell(row=row, column=column, value=text)
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT


def _panel_rows(sheet: Worksheet, row: int, grid: PanelGrid, edition: Edition) -> int:
    """Write the panel's title and rows from `row`; returns the next free row."""
    last_column = FIRST_DATA_COLUMN + len(grid.columns) - 1
    title = f"{edition.text(grid.title)} ({edition.text(grid.units)})"
    sheet.cell(row=row, column=1, value=title).font = BOLD
    for column in range(1, last_column + 1):
        sheet.cell(row=row, column=column).fill = PANEL_FILL
    for grid_row in grid.rows:
        row += 1
        sheet.cell(row=row, column=1, value=grid_row.code)
        sheet.cell(row=row, column=2, value=grid_row.name_in(edition))
        for offset, (column, value) in enumerate(zip(grid.columns, grid_row.cells, strict=True)):
            cell = sheet.cell(row=row, column=FIRST_DATA_COLUMN + offset)
            if value.suppressed:
                cell.value = labels.SUPPRESSED_MARK
                cell.alignment = RIGHT
            elif math.isnan(value.value):
                cell.value = labels.NOT_AVAILABLE_MARK
                cell.alignment = RIGHT
            else:
                cell.value = _stored(value.value, column)
                cell.number_format = number_format(edition, column, value.flagged)
        if grid_row.is_total:
            for column in range(1, last_column + 1):
                sheet.cell(row=row, column=column).font = BOLD
                sheet.cell(row=row, column=column).border = THIN_TOP
    return row + 1


def _stored(value: float, column: GridColumn) -> float | int:
    """The number stored in the cell: a share as its fraction (Excel %), a whole number as an
    integer."""
    if column.unit == "percent":
        return round(value / 100, column.decimals + 2)
    return int(value) if column.decimals == 0 and value.is_integer() else value


def _notes(
    sheet: Worksheet,
    row: int,
    notes: Sequence[Label],
    edition: Edition,
    widths: dict[int, float],
    heading: Label = labels.NOTES_HEADING,
) -> int:
    """A heading and one note per row, each across the sheet's width, wrapped; returns the last
    row written."""
    sheet.cell(row=row, column=1, value=edition.text(heading)).font = BOLD
    last_column = max(widths)
    characters = sum(widths.values())
    for note in notes:
        row += 1
        text = edition.text(note)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = NOTE_ALIGNMENT
        sheet.row_dimensions[row].height = LINE_HEIGHT * math.ceil(len(text) / characters)
    return row


def _print_setup(
    sheet: Worksheet, widths: dict[int, float], header_end: int, *, repeat_columns: bool
) -> None:
    """A4, fit to the page width (as many pages down as needed), landscape when wider than a
    portrait page, the title and header rows (and the code and name columns) on every page."""
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths.values()) > PORTRAIT_MAX_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_end}"
    if repeat_columns:
        sheet.print_title_cols = "A:B"
    sheet.oddFooter.left.text = "&A"
    sheet.oddFooter.right.text = "&P / &N"
