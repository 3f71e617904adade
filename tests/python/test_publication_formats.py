"""The publication's formats: two editions (Indonesian, English) of the workbook, the report and
the charts, each value with its base, unknown count and flag, the measures' definitions, number
formats of the edition's locale, print settings, dated charts, titles that follow the target
desil, progress bars that count what the summary counts, and Berita Acara marked as
administrative records. Everything is read back from the files written."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from scripts.contract import PROJECT_DIR
from scripts.publish import excel, report
from scripts.publish.__main__ import main
from scripts.publish.edition import INDONESIAN as INDONESIAN_EDITION
from scripts.publish.edition import Imprint
from scripts.publish.labels import DEFINITIONS, MEASURES, SOURCE_NOTE, Label
from scripts.publish.model import TOTAL, Table
from scripts.publish.pipeline import Publication
from tests.python.warehouse import Warehouse

K = 5
SMALL_BASE = 30
COMPUTED_KINDS = {"share", "mean", "ratio"}
FIRST_DATA_COLUMN = 3
A4 = 9  # the paper size code of A4 in Excel's page setup
WIDE_COLUMNS = 8  # a sheet with more columns than this must print landscape
VALUE = "value"


@dataclass(frozen=True)
class Expected:
    """What an edition writes, as a reader checks it by hand."""

    language: str
    workbook: str
    report: str
    chart_suffix: str
    locale_tag: str
    code_header: str
    table_word: str
    unknown_header: str
    base_headers: dict[str, str]
    flag_note: str
    households_rule: str
    months: tuple[str, ...]  # month names, to write the date of the data
    lowest_40: str

    def number(self, value: float, decimals: int) -> str:
        english = f"{value:,.{decimals}f}"
        if self.language == "en":
            return english
        return english.translate(str.maketrans({",": ".", ".": ","}))

    def text(self, label: Label) -> str:
        return label.id if self.language == "id" else label.en

    def date(self, day: date) -> str:
        """A date as the edition writes it: 1 Juli 2015, 1 July 2015."""
        return f"{day.day} {self.months[day.month - 1]} {day.year}"


MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
INDONESIAN = Expected(
    language="id",
    workbook="bdt_tables.xlsx",
    report="report.html",
    chart_suffix="",
    locale_tag="[$-421]",
    code_header="Kode BPS",
    table_word="Tabel",
    unknown_header="tidak diketahui",
    base_headers={"households": "n (rumah tangga)", "persons": "n (jiwa)"},
    flag_note=f"* = dihitung dari kurang dari {SMALL_BASE} unit",
    households_rule=f"dari unit milik kurang dari {K} rumah tangga",
    months=MONTHS_ID,
    lowest_40="40% terendah",
)
ENGLISH = Expected(
    language="en",
    workbook="bdt_tables_en.xlsx",
    report="report_en.html",
    chart_suffix="_en",
    locale_tag="[$-409]",
    code_header="BPS code",
    table_word="Table",
    unknown_header="unknown",
    base_headers={"households": "n (households)", "persons": "n (persons)"},
    flag_note=f"* = computed from fewer than {SMALL_BASE} units",
    households_rule=f"from the units of fewer than {K} households",
    months=MONTHS_EN,
    lowest_40="lowest 40%",
)
EDITIONS = [INDONESIAN, ENGLISH]


@pytest.fixture(scope="module")
def data_date(publication_warehouse: Warehouse) -> date:
    """The date of the data: the as-of date of marts.dim_delivery's current delivery."""
    with publication_warehouse.connect() as connection:
        ((as_of,),) = connection.execute(
            "select as_of_date from marts.dim_delivery where is_current"
        ).fetchall()
    return as_of


def edition_ids(expected: Expected) -> str:
    return expected.language


def published_cells(out_dir: Path, table: Table) -> pd.DataFrame:
    """The table's CSV (machine format) with each cell's kind and whether its measure counts
    unknown answers, from the table written (the CSV rows are its cells, in order)."""
    cells = pd.read_csv(
        out_dir / "tables" / f"{table.slug}.csv",
        dtype={"region_code": str, "desil": str, "flag": str, "base_unit": str},
        keep_default_na=False,
        na_values={"value": [""], "base": [""], "unknown": [""]},
    )
    return cells.assign(
        suppressed=cells["suppressed"].astype(str).str.lower() == "true",
        kind=table.cells["kind"].to_numpy(),
        can_be_unknown=table.cells["unknown"].notna().to_numpy(),
    )


def published_decimals(measure: str, kind: str) -> int:
    if kind == "count" or measure in ("poverty_year", "poor_people"):
        return 0
    return 2 if measure == "poverty_rate" else 1


def excel_body(unit: str, decimals: int) -> str:
    if unit == "year":
        return "0"
    places = "." + "0" * decimals if decimals else ""
    return f"0{places}%" if unit == "percent" else f"#,##0{places}"


@dataclass
class SheetGrid:
    """A table sheet read back: for each (panel title, region code, column header) its cells,
    the value under VALUE and the others under their sub-header; the last row of the first
    header rows; the whole text."""

    cells: dict[tuple[str, str, str], dict[str, Cell]] = field(default_factory=dict)
    header_end: int = 0
    text: str = ""

    def panel(self, title: str) -> str:
        """The panel title row of a panel: its title and its units."""
        (found,) = {panel for panel, _, _ in self.cells if panel.startswith(f"{title} (")}
        return found


def sheet_grid(sheet: Worksheet, expected: Expected) -> SheetGrid:
    grid = SheetGrid()
    headers: list[str] = []  # of every column: a merged header spans its value, base, unknown
    sub_headers: list[str] = []
    panel = ""
    header_row = 0
    for row in sheet.iter_rows():
        first, name = row[0].value, row[1].value
        values = [cell.value for cell in row[FIRST_DATA_COLUMN - 1 :]]
        if first == expected.code_header:
            header_row = row[0].row
            headers, sub_headers = [], []
            for value in values:
                headers.append(str(value) if value is not None else headers[-1])
            last = max(index for index, value in enumerate(values) if value is not None)
            headers = headers[: last + 1]  # without sub-headers, no header is merged
            grid.header_end = grid.header_end or header_row
        elif row[0].row == header_row + 1 and first is None and name is None:
            sub_headers = [str(value) for value in takewhile(lambda v: v is not None, values)]
            headers = [headers[min(i, len(headers) - 1)] for i in range(len(sub_headers))]
            if grid.header_end == header_row:
                grid.header_end = row[0].row
        elif first is not None and name is None:
            panel = str(first)
        elif name is not None:
            code = str(first) if first else TOTAL
            for index, cell in enumerate(row[FIRST_DATA_COLUMN - 1 :][: len(headers)]):
                parts = grid.cells.setdefault((panel, code, headers[index]), {})
                parts[sub_headers[index] if parts and sub_headers else VALUE] = cell
    grid.text = "\n".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row if value
    )
    return grid


@pytest.mark.parametrize("expected", EDITIONS, ids=edition_ids)
def test_every_value_beside_its_base_and_unknown_count_in_the_editions_number_format(
    publication: Publication, out_dir: Path, expected: Expected
) -> None:
    """Every published cell in the workbook: the value (a number in the edition's locale format,
    marked * when flagged), beside a computed one its base n and unknown count; x for all
    three when suppressed."""
    workbook = load_workbook(out_dir / expected.workbook)
    seen = dict.fromkeys(("counts", "computed", "flagged", "suppressed", "unknown"), 0)
    for table in publication.tables:
        sheet = workbook[table.sheet_name]
        title = f"{expected.table_word} {table.number}. {expected.text(table.title)}"
        assert sheet["A1"].value == title
        grid = sheet_grid(sheet, expected)
        cells = published_cells(out_dir, table)
        for panel in table.panels:
            panel_title = grid.panel(expected.text(panel.title))
            for column in panel.columns:
                header = expected.text(column.header)
                rows = cells[
                    (cells["measure"] == column.measure) & (cells["desil"] == column.desil)
                ]
                for row in rows.itertuples(index=False):
                    parts = grid.cells[(panel_title, row.region_code, header)]
                    computed = row.kind in COMPUTED_KINDS
                    beside = [expected.base_headers[row.base_unit]] if computed else []
                    beside += [expected.unknown_header] if computed and row.can_be_unknown else []
                    assert list(parts) == [VALUE, *beside], (table.name, row)
                    if row.suppressed:
                        assert [cell.value for cell in parts.values()] == ["x"] * len(parts)
                        seen["suppressed"] += computed
                        continue
                    value = parts[VALUE]
                    if pd.isna(row.value):
                        assert value.value == "–"
                        continue
                    stored = row.value / 100 if row.unit == "percent" else row.value
                    assert value.value == pytest.approx(stored, abs=1e-9)
                    flagged = row.flag == "small_base"
                    body = excel_body(row.unit, published_decimals(row.measure, row.kind))
                    mark = '"*"' if flagged else ""
                    assert value.number_format == f"{expected.locale_tag}{body}{mark}"
                    seen["flagged"] += flagged
                    seen["computed" if computed else "counts"] += 1
                    if computed:
                        base = parts[expected.base_headers[row.base_unit]]
                        assert (base.value, base.number_format) == (
                            row.base,
                            f"{expected.locale_tag}#,##0",
                        )
                    if computed and row.can_be_unknown:
                        assert parts[expected.unknown_header].value == row.unknown
                        seen["unknown"] += 1
    workbook.close()
    assert all(seen.values()), seen


@pytest.mark.parametrize("expected", EDITIONS, ids=edition_ids)
def test_each_sheet_defines_its_measures_and_explains_flags_and_suppression(
    publication: Publication, out_dir: Path, expected: Expected, data_date: date
) -> None:
    workbook = load_workbook(out_dir / expected.workbook, read_only=True)
    for table in publication.tables:
        text = "\n".join(
            str(value)
            for row in workbook[table.sheet_name].iter_rows(values_only=True)
            for value in row
            if value
        )
        for measure in dict.fromkeys(table.cells["measure"]):
            definition = DEFINITIONS[measure]
            assert expected.text(MEASURES[measure]) in text, (table.name, measure)
            assert expected.text(definition.numerator) in text, (table.name, measure)
            if definition.denominator is not None:
                assert expected.text(definition.denominator) in text, (table.name, measure)
        computed = table.cells["kind"].isin(COMPUTED_KINDS).any()
        assert (expected.flag_note in text) == computed, table.name
        assert expected.households_rule in text, table.name
        assert expected.date(data_date) in text, table.name
    workbook.close()


@pytest.mark.parametrize("expected", EDITIONS, ids=edition_ids)
def test_every_sheet_prints_on_a4_fit_to_width_with_its_titles_on_every_page(
    publication: Publication, out_dir: Path, expected: Expected
) -> None:
    workbook = load_workbook(out_dir / expected.workbook)
    orientations = {}
    # a table without cells (no delivery history, one delivery) is its title and notes only
    empty = {table.sheet_name: table for table in publication.tables if table.cells.empty}
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert int(setup.paperSize) == A4, sheet.title
        orientations[sheet.title] = setup.orientation
        if sheet.max_column > WIDE_COLUMNS:
            assert setup.orientation == "landscape", sheet.title
        if sheet.title == excel.CONTENTS_SHEET:
            assert sheet.print_title_rows == "$1:$5"
            continue
        if sheet.title in empty:
            text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
            for note in empty[sheet.title].notes:
                assert expected.text(note) in text, sheet.title
            continue
        header_end = sheet_grid(sheet, expected).header_end
        assert header_end >= 5
        assert sheet.print_title_rows == f"$1:${header_end}", sheet.title
        assert sheet.print_title_cols == "$A:$B", sheet.title
        assert sheet.freeze_panes == f"C{header_end + 1}", sheet.title
    assert orientations[excel.CONTENTS_SHEET] == "portrait"
    assert orientations["T02 demography"] == "landscape"
    assert orientations["T10 priority"] == "portrait"
    workbook.close()


def html_rows(page: str, heading: str) -> tuple[list[str], list[list[str]]]:
    """The header texts and the rows of cell texts of the table under an <h3> heading."""
    start = page.index(f"<h3>{escape(heading)} (")
    table = page[start : page.index("</table>", start)]
    headers = [html.unescape(t) for t in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    rows = [
        [html.unescape(t) for t in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[1], re.S)
    ]
    return headers, rows


@pytest.mark.parametrize("expected", EDITIONS, ids=edition_ids)
def test_the_report_shows_values_bases_unknowns_and_flags_in_the_editions_language(
    publication: Publication, out_dir: Path, expected: Expected
) -> None:
    page = (out_dir / expected.report).read_text(encoding="utf-8")
    assert f'<html lang="{expected.language}">' in page
    checked = 0
    for table in publication.tables:
        cells = published_cells(out_dir, table)
        for panel in table.panels:
            headers, rows = html_rows(page, expected.text(panel.title))
            by_code = {row[0] or TOTAL: row[2:] for row in rows}
            texts = []
            for column in panel.columns:
                mine = cells[
                    (cells["measure"] == column.measure) & (cells["desil"] == column.desil)
                ]
                texts.append(mine.set_index("region_code"))
            for code, shown in by_code.items():
                expected_texts = []
                for column in texts:
                    if code not in column.index:
                        expected_texts.append("–")
                        continue
                    cell = column.loc[code]
                    computed = cell["kind"] in COMPUTED_KINDS
                    parts = 1 + computed + (computed and bool(cell["can_be_unknown"]))
                    if cell["suppressed"]:
                        expected_texts += ["x"] * parts
                        continue
                    places = published_decimals(cell["measure"], cell["kind"])
                    if pd.isna(cell["value"]):
                        value = "–"
                    elif cell["unit"] == "year":
                        value = f"{cell['value']:.0f}"
                    else:
                        value = expected.number(cell["value"], places)
                    expected_texts.append(value + ("*" if cell["flag"] == "small_base" else ""))
                    if computed:
                        expected_texts.append(expected.number(cell["base"], 0))
                    if computed and cell["can_be_unknown"]:
                        expected_texts.append(expected.number(cell["unknown"], 0))
                assert shown == expected_texts, (table.name, panel.title, code)
                checked += 1
            if table.cells["kind"].isin(COMPUTED_KINDS).any():
                assert any(header in headers for header in expected.base_headers.values())
        for measure in dict.fromkeys(table.cells["measure"]):
            assert str(escape(expected.text(DEFINITIONS[measure].numerator))) in page
    assert checked > 100
    assert expected.unknown_header in page and expected.flag_note in html.unescape(page)
    households = published_cells(out_dir, publication.tables[0])
    total = households.query("measure == 'households' and region_code == 'total'")
    markdown = (out_dir / expected.report.replace(".html", ".md")).read_text(encoding="utf-8")
    for value in total["value"]:
        assert expected.number(value, 0) in markdown


@pytest.mark.parametrize("expected", EDITIONS, ids=edition_ids)
def test_charts_carry_their_source_and_the_dates_of_the_data(
    out_dir: Path, publication_warehouse: Warehouse, expected: Expected, data_date: date
) -> None:
    built = date.fromtimestamp(publication_warehouse.bi_database.stat().st_mtime).isoformat()
    charts = sorted((out_dir / "charts").glob("*.png"))
    mine = [path for path in charts if path.stem.endswith("_en") == (expected.language == "en")]
    # one chart more when the warehouse holds the delivery history (table 13 has cells)
    over_time = (out_dir / "tables" / "13_households_by_delivery.csv").read_text().count("\n") > 1
    assert len(mine) == 4 + over_time and len(charts) == 2 * len(mine)
    for path in mine:
        with Image.open(path) as image:
            metadata = dict(image.text)
        assert metadata["Source"] == expected.text(SOURCE_NOTE), path.name
        description = metadata["Description"]
        assert expected.date(data_date) in description, path.name
        assert built in description and date.today().isoformat() in description, path.name
        assert metadata["Title"], path.name
    with Image.open(out_dir / "charts" / f"program_targeting{expected.chart_suffix}.png") as png:
        assert png.text["Title"] == expected.text(
            Label(
                "Ketepatan sasaran: cakupan desil 1 dan kebocoran (%)",
                "Targeting: coverage of desil 1 and leakage (%)",
            )
        )


def imprint_of(max_desil: int) -> Imprint:
    return Imprint(
        selection=Label("Wilayah: uji", "Regions: test"),
        level=Label("Kecamatan", "District"),
        bands={
            desil: Label(f"Desil {desil}", f"Decile {desil}") for desil in range(1, max_desil + 1)
        },
        k=K,
        small_base=SMALL_BASE,
        warehouse="bdt.duckdb",
        built=date(2025, 1, 2),
        published=date(2025, 1, 3),
        delivery="2015-07",
        as_of=date(2015, 7, 1),
    )


@pytest.mark.parametrize(("max_desil", "target"), [(4, "desil 1-4"), (10, "desil 1-10")])
def test_titles_follow_the_target_desil(
    publication: Publication, tmp_path: Path, max_desil: int, target: str
) -> None:
    """Written with the bands of a warehouse built for desil 1-10, no title says 40%."""
    imprint = imprint_of(max_desil)
    edition = INDONESIAN_EDITION
    path = excel.written_workbook(
        publication.tables, tmp_path / "tables.xlsx", edition=edition, imprint=imprint
    )
    reconciliation = pd.DataFrame(
        columns=["raw_table", "raw_rows", "mart_rows", "quarantined_rows", "is_reconciled"]
    )
    page, _ = report.written_report(
        publication.tables,
        [],
        tmp_path,
        edition=edition,
        imprint=imprint,
        reconciliation=reconciliation,
    )
    workbook = load_workbook(path, read_only=True)
    titles = [workbook[excel.CONTENTS_SHEET]["A1"].value]
    titles += [workbook[table.sheet_name]["A2"].value for table in publication.tables]
    workbook.close()
    heading = re.search(r"<h1>(.*?)</h1>", page.read_text(encoding="utf-8")).group(1)
    for title in [*titles, heading]:
        assert target in title
        assert ("40% terendah" in title) == (max_desil == 4)


def bar_totals(stderr: str) -> dict[str, int]:
    """The final count of each progress bar (its last 'n/total')."""
    return {
        name: int(done)
        for name, done, total in re.findall(r"([a-z ]+): 100%\|[^|]*\| (\d+)/(\d+)", stderr)
        if done == total
    }


def test_one_locale_writes_one_edition_and_the_bars_count_what_the_summary_says(
    publication_warehouse: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bi = str(publication_warehouse.bi_database)
    assert main(["--warehouse", bi, "--out", str(tmp_path), "--locale", "en"]) == 0
    captured = capsys.readouterr()
    summary, last = captured.out.strip().splitlines()[-2:]
    assert last == f"the report: {tmp_path / 'report_en.html'}"
    counted = re.match(
        r"wrote (\d+) tables \(\d+ cells suppressed\) in (\d+) edition \(en: .*\) and the "
        r"Berita Acara of (\d+) desa",
        summary,
    )
    assert counted, summary
    tables, editions, desa = (int(number) for number in counted.groups())
    assert bar_totals(captured.err) == {
        "tables": tables,
        "editions": editions,
        "berita acara": desa,
    }
    # tables 11-14: over the deliveries; 15-17: the rest of the questionnaire (issue #17)
    assert (tables, editions, desa) == (17, 1, 31)
    written = {path.name for path in tmp_path.iterdir()}
    assert {"bdt_tables_en.xlsx", "report_en.html", "report_en.md"} <= written
    assert not written & {"bdt_tables.xlsx", "report.html", "report.md"}
    assert all(path.stem.endswith("_en") for path in (tmp_path / "charts").glob("*.png"))
    with pytest.raises(SystemExit):
        main(["--warehouse", bi, "--out", str(tmp_path), "--locale", "fr"])


def test_berita_acara_say_they_are_administrative_records_not_statistical_tables(
    out_dir: Path,
) -> None:
    pages = sorted((out_dir / "berita_acara").glob("*.html"))
    assert len(pages) == 32  # 31 desa and the index
    for page in pages:
        assert "bukan tabel statistik" in page.read_text(encoding="utf-8"), page.name
    workbook = load_workbook(out_dir / "berita_acara.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        texts = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
        assert any("bukan tabel statistik" in str(text) for text in texts), sheet.title
    workbook.close()
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    (output_row,) = [line for line in readme.splitlines() if line.startswith("| `output/` |")]
    assert "public (disclosure-controlled)" not in output_row
    assert "Berita Acara are administrative records" in output_row
    section = readme.split("## The publication tables")[1].split("\n## ")[0]
    assert "--locale id|en|both" in section and "not statistical tables" in section
