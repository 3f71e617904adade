"""The FKP Berita Acara of each desa, as in the seed document: a header block with the region
names and BPS code parts (12 / 72 / 010 / 001), one row per SLS (prelist, added, total), a
Total row and the signature lines; one Excel sheet per desa and a printable HTML page per desa.

The Berita Acara is an administrative record, not a statistical table: the forum's own minutes,
posted at the desa, with the names of the SLS and the household counts as signed at the FKP
(no person). Its counts are therefore published as signed, not disclosure-controlled (not
suppressed); every output of it says so (RECORD_NOTE)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet
from tqdm import tqdm

TEMPLATES = Path(__file__).parent / "templates"
TITLE_LINES = (
    "BERITA ACARA",
    "FORUM KONSULTASI PUBLIK",
    "PEMUTAKHIRAN BASIS DATA TERPADU 2015",
)
STATEMENT = (
    "Dengan ini kami menyatakan: bahwa telah ikut berpartisipasi dalam Forum Konsultasi Publik "
    "dalam rangka Pemutakhiran Basis Data Terpadu 2015 di wilayah ini dan menyetujui bahwa rumah "
    "tangga/keluarga hasil Forum Konsultasi Publik ini seluruhnya akan didata, tetapi penerima "
    "program bantuan akan ditetapkan oleh pemerintah."
)
SLS_HEADERS = (
    "No.",
    "Nama SLS satu tingkat di bawah desa/kelurahan",
    "Jumlah RTS prelist (PBDT 2015)",
    "Jumlah tambahan hasil FKP",
    "Jumlah",
    "Nama Ketua SLS/Tokoh masyarakat",
    "Tanda tangan",
)
RECORD_NOTE = (
    "Keterangan: Berita Acara ini adalah catatan administratif Forum Konsultasi Publik yang "
    "ditempel di desa/kelurahan (nama SLS dan jumlah rumah tangga seperti ditandatangani pada "
    "FKP), bukan tabel statistik; jumlahnya tidak disupresi. Tabel statistik: bdt_tables.xlsx."
)
RECORD_NOTE_EN = (
    "The Berita Acara are administrative records of the public consultation forums, posted at "
    "the desa (SLS names and household counts as signed at the FKP), not statistical tables; "
    "their counts are not suppressed. Statistical tables: bdt_tables.xlsx."
)
THIN = Side(style="thin")
BOXED = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Desa:
    """The header block of a Berita Acara: names and the BPS code parts."""

    village_code: str
    village_name: str
    district_name: str
    regency_name: str
    province_name: str

    @property
    def province_part(self) -> str:
        return self.village_code[:2]

    @property
    def regency_part(self) -> str:
        return self.village_code[2:4]

    @property
    def district_part(self) -> str:
        return self.village_code[4:7]

    @property
    def village_part(self) -> str:
        return self.village_code[7:10]


@dataclass(frozen=True)
class BeritaAcara:
    desa: Desa
    rows: pd.DataFrame  # number, sls_name, prelist, added, total

    @property
    def totals(self) -> dict[str, int]:
        return {column: int(self.rows[column].sum()) for column in ("prelist", "added", "total")}


def berita_acara_per_desa(sls_rows: pd.DataFrame) -> list[BeritaAcara]:
    """One Berita Acara per desa of the FKP rows (marts.fct_fkp_sls_results + dim_region);
    SLS numbered as on the form (No_SLS), else in order."""
    documents = []
    for village_code, rows in sls_rows.groupby("village_code", sort=True):
        first = rows.iloc[0]
        numbers = rows["sls_number"].astype("Int64")
        fallback = pd.Series(range(1, len(rows) + 1), index=rows.index, dtype="Int64")
        documents.append(
            BeritaAcara(
                Desa(
                    str(village_code),
                    str(first["village_name"]),
                    str(first["district_name"]),
                    str(first["regency_name"]),
                    str(first["province_name"]),
                ),
                pd.DataFrame(
                    {
                        "number": numbers.fillna(fallback).astype(int),
                        "sls_name": rows["sls_name"].fillna(""),
                        "prelist": rows["prelist_households"].astype(int),
                        "added": rows["added_households"].astype(int),
                        "total": rows["total_households"].astype(int),
                    }
                ).reset_index(drop=True),
            )
        )
    return documents


def ribuan(value: int) -> str:
    """Indonesian thousands separator: 1.234."""
    return f"{int(value):,}".replace(",", ".")


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["ribuan"] = ribuan
    return environment


def written_html_pages(
    documents: Iterable[BeritaAcara], folder: Path, progress: tqdm | None = None
) -> list[Path]:
    """berita_acara/<bps_desa_code>.html per desa (A4 print CSS) and an index.html."""
    folder.mkdir(parents=True, exist_ok=True)
    environment = _environment()
    page = environment.get_template("berita_acara.html.j2")
    paths = []
    index = []
    for document in documents:
        path = folder / f"{document.desa.village_code}.html"
        path.write_text(
            page.render(
                desa=document.desa,
                rows=document.rows.to_dict("records"),
                totals=document.totals,
                record_note=RECORD_NOTE,
            ),
            encoding="utf-8",
        )
        paths.append(path)
        index.append(
            {
                "village_code": document.desa.village_code,
                "village_name": document.desa.village_name,
                "district_name": document.desa.district_name,
                "sls": len(document.rows),
                **document.totals,
            }
        )
        if progress is not None:
            progress.update(1)
    (folder / "index.html").write_text(
        environment.get_template("berita_acara_index.html.j2").render(
            villages=index, record_note=RECORD_NOTE, record_note_en=RECORD_NOTE_EN
        ),
        encoding="utf-8",
    )
    return paths


def written_workbook(documents: Iterable[BeritaAcara], path: Path) -> Path:
    """berita_acara.xlsx: one sheet per desa, named by its BPS code, printable on A4."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for document in documents:
        _desa_sheet(workbook.create_sheet(document.desa.village_code), document)
    if not workbook.sheetnames:
        workbook.create_sheet("kosong - empty")["A1"] = "Tidak ada hasil FKP / no FKP results"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _desa_sheet(sheet: Worksheet, document: BeritaAcara) -> None:
    desa = document.desa
    for row, line in enumerate(TITLE_LINES, start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        cell = sheet.cell(row=row, column=1, value=line)
        cell.font = Font(bold=True, size=12)
        cell.alignment = Alignment(horizontal="center")
    header = (
        ("Provinsi", desa.province_name, desa.province_part),
        ("Kabupaten/Kota", desa.regency_name, desa.regency_part),
        ("Kecamatan", desa.district_name, desa.district_part),
        ("Desa/Kelurahan (Kode)", desa.village_name, desa.village_part),
    )
    for offset, (label, name, code) in enumerate(header):
        row = 5 + offset
        sheet.cell(row=row, column=1, value=offset + 1)
        sheet.cell(row=row, column=2, value=label)
        sheet.cell(row=row, column=3, value=name)
        code_cell = sheet.cell(row=row, column=5, value=code)  # text: keeps leading zeros
        code_cell.number_format = "@"
        code_cell.border = BOXED
        code_cell.alignment = Alignment(horizontal="center")
    sheet.cell(row=10, column=1, value="Hari/Tanggal: ____________________")
    sheet.cell(row=11, column=1, value="Pukul: ____________________")
    sheet.cell(row=12, column=1, value="Tempat: ____________________")
    sheet.merge_cells(start_row=14, start_column=1, end_row=14, end_column=7)
    statement = sheet.cell(row=14, column=1, value=STATEMENT)
    statement.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[14].height = 48
    header_row = 16
    for column, text in enumerate(SLS_HEADERS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.border = BOXED
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    sheet.row_dimensions[header_row].height = 45
    row = header_row
    for record in document.rows.itertuples(index=False):
        row += 1
        values = (f"{record.number}.", record.sls_name, record.prelist, record.added, record.total)
        for column, value in enumerate((*values, None, None), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = BOXED
            if isinstance(value, int):
                cell.number_format = "#,##0"
    row += 1
    totals = document.totals
    for column, value in enumerate(
        (None, "Total", totals["prelist"], totals["added"], totals["total"], None, None), start=1
    ):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border = BOXED
        cell.font = Font(bold=True)
        if isinstance(value, int):
            cell.number_format = "#,##0"
    sheet.cell(row=row + 2, column=1, value="Catatan: ________________________________________")
    signature = row + 4
    sheet.cell(row=signature, column=2, value="Ketua SLS/Tokoh masyarakat pada saat FKP")
    sheet.cell(row=signature, column=5, value=f"Kepala Desa/Lurah {desa.village_name}")
    sheet.cell(row=signature + 4, column=2, value="(________________________)")
    sheet.cell(row=signature + 4, column=5, value="(________________________)")
    sheet.cell(row=signature + 5, column=2, value="Tanda tangan dan nama jelas")
    sheet.cell(row=signature + 5, column=5, value="Cap stempel dan tanda tangan Kepala Desa/Lurah")
    note_row = signature + 7
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=7)
    note = sheet.cell(row=note_row, column=1, value=RECORD_NOTE)
    note.font = Font(size=9, italic=True)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[note_row].height = 36
    for column, width in zip("ABCDEFG", (6, 34, 14, 14, 12, 24, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
