"""The Excel workbook bdt_tables.xlsx: a contents sheet, then one sheet per table (title,
units, notes on source and suppression, number formats, frozen header rows)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from tqdm import tqdm

from . import labels
from .labels import CODE_HEADER, UNITS, Label
from .model import Panel, Table
from .tidy import ColumnFormat, panel_formats, panel_grid

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
PANEL_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
THIN_TOP = Border(top=Side(style="thin"))
RIGHT = Alignment(horizontal="right")
FIRST_DATA_COLUMN = 3
HEADER_ROW = 5


def number_format(column: ColumnFormat) -> str:
    """Excel format: thousands separators, the published decimals, % for shares, none for
    years."""
    if column.unit == "year":
        return "0"
    decimals = "." + "0" * column.decimals if column.decimals else ""
    if column.unit == "percent":
        return f"0{decimals}%"
    return f"#,##0{decimals}"


def region_header(table: Table, level: Label) -> Label:
    """Header of the region name column: the level, or 'region' when rows mix levels."""
    levels = set(table.cells["region_level"]) - {"total"}
    return level if len(levels) <= 1 and table.additive_rows else Label("Wilayah", "Region")


def written_workbook(
    tables: Sequence[Table],
    path: Path,
    *,
    selection: Label,
    level: Label,
    k: int,
    progress: tqdm | None = None,
) -> Path:
    """Write bdt_tables.xlsx; `progress` (a tqdm bar or None) is advanced per table."""
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Daftar isi - Contents"
    _contents_sheet(contents, tables, selection, k)
    for table in tables:
        _table_sheet(workbook.create_sheet(table.sheet_name), table, selection, level, k)
        if progress is not None:
            progress.update(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _contents_sheet(sheet: Worksheet, tables: Sequence[Table], selection: Label, k: int) -> None:
    sheet["A1"] = labels.PUBLICATION_TITLE.id
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = labels.PUBLICATION_TITLE.en
    sheet["A2"].font = Font(italic=True, size=12)
    sheet["A3"] = selection.both()
    row = 5
    for column, header in enumerate(("Lembar / Sheet", "Judul / Title"), start=1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for table in tables:
        row += 1
        link = sheet.cell(row=row, column=1, value=table.sheet_name)
        link.hyperlink = f"#'{table.sheet_name}'!A1"
        link.font = Font(color="0563C1", underline="single")
        sheet.cell(row=row, column=2, value=table.title.both())
    row += 2
    sheet.cell(row=row, column=1, value="Catatan / Notes").font = BOLD
    for note in (
        labels.SOURCE_NOTE,
        labels.DESIL_NOTE,
        labels.suppression_note(k),
        labels.NUMBERS_NOTE,
    ):
        row = _note_rows(sheet, row + 1, note)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90


def _note_rows(sheet: Worksheet, row: int, note: Label) -> int:
    """Write a note in both languages on two rows; returns the last row written."""
    sheet.cell(row=row, column=1, value=note.id)
    sheet.cell(row=row + 1, column=1, value=note.en).font = Font(italic=True)
    return row + 1


def _table_sheet(sheet: Worksheet, table: Table, selection: Label, level: Label, k: int) -> None:
    sheet["A1"] = f"Tabel {table.number}. {table.title.id}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Table {table.number}. {table.title.en}"
    sheet["A2"].font = Font(italic=True, size=12)
    sheet["A3"] = selection.both()
    width = FIRST_DATA_COLUMN + max(len(panel.columns) for panel in table.panels)
    row = HEADER_ROW
    last_headers: list[Label] | None = None
    for panel in table.panels:
        headers = [column.header for column in panel.columns]
        if headers != last_headers:
            _header_row(sheet, row, table, panel, level)
            last_headers = headers
            row += 1
        row = _panel_rows(sheet, row, table, panel) + 1
    row += 1
    sheet.cell(row=row, column=1, value="Catatan / Notes").font = BOLD
    for note in (*table.notes, labels.DESIL_NOTE, labels.suppression_note(k), labels.SOURCE_NOTE):
        row = _note_rows(sheet, row + 1, note)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=FIRST_DATA_COLUMN)
    sheet.column_dimensions["A"].width = 13
    sheet.column_dimensions["B"].width = 32
    for column in range(FIRST_DATA_COLUMN, width):
        sheet.column_dimensions[get_column_letter(column)].width = 19
    sheet.row_dimensions[HEADER_ROW].height = 62


def _header_row(sheet: Worksheet, row: int, table: Table, panel: Panel, level: Label) -> None:
    headers = [CODE_HEADER, region_header(table, level), *[c.header for c in panel.columns]]
    for offset, header in enumerate(headers):
        cell = sheet.cell(row=row, column=1 + offset, value=header.both("\n"))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[row].height = 62


def _panel_rows(sheet: Worksheet, row: int, table: Table, panel: Panel) -> int:
    """Write the panel's title and rows from `row`; returns the next free row."""
    formats = panel_formats(table, panel)
    unit_text = ", ".join(dict.fromkeys(UNITS[f.unit].both() for f in formats.values()))
    title = sheet.cell(row=row, column=1, value=f"{panel.title.both()} ({unit_text})")
    title.font = BOLD
    for column in range(1, FIRST_DATA_COLUMN + len(panel.columns)):
        sheet.cell(row=row, column=column).fill = PANEL_FILL
    values, suppressed = panel_grid(table, panel)
    names = table.cells.drop_duplicates("region_code").set_index("region_code")["region_name"]
    for region in values.index:
        row += 1
        is_total = region == "total"
        sheet.cell(row=row, column=1, value="" if is_total else region)
        sheet.cell(row=row, column=2, value=names[region])
        for offset, key in enumerate(values.columns):
            cell = sheet.cell(row=row, column=FIRST_DATA_COLUMN + offset)
            value = values.at[region, key]
            if suppressed.at[region, key]:
                cell.value = labels.SUPPRESSED_MARK
                cell.alignment = RIGHT
            elif pd.isna(value):
                cell.value = labels.NOT_AVAILABLE_MARK
                cell.alignment = RIGHT
            else:
                column = formats[key]
                if column.unit == "percent":  # Excel percent: the fraction, shown as %
                    cell.value = round(float(value) / 100, column.decimals + 2)
                else:
                    cell.value = float(value)
                cell.number_format = number_format(column)
        if is_total:
            for column in range(1, FIRST_DATA_COLUMN + len(panel.columns)):
                sheet.cell(row=row, column=column).font = BOLD
                sheet.cell(row=row, column=column).border = THIN_TOP
    return row + 1
