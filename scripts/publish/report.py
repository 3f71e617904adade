"""The report of an edition: report.html (Jinja2 template) and report.md (report_en.html and
report_en.md for the English one), the tables as published, each value with its base n and
unknown count, with their charts, definitions and notes, in the edition's language and number
format."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import labels
from .charts import Chart
from .edition import REPORT_STEM, WORKBOOK_STEM, Edition, Imprint
from .excel import region_header
from .labels import CODE_HEADER, Label
from .layout import GridCell, GridColumn, PanelGrid, measures_of, panel_grids
from .model import TOTAL, Table
from .tidy import decimals_of

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class KeyFigure:
    label: Label
    value: str


def value_text(value: float, unit: str, decimals: int, edition: Edition) -> str:
    """A published number in the edition's format ('–' when not available); years without
    thousands separators."""
    if math.isnan(value):
        return labels.NOT_AVAILABLE_MARK
    return edition.number_text(value, decimals, grouped=unit != "year")


def cell_text(cell: GridCell, column: GridColumn, edition: Edition) -> str:
    """A cell as published: 'x' suppressed, '–' not available, else its number, with the
    footnote mark when flagged."""
    if cell.suppressed:
        return labels.SUPPRESSED_MARK
    text = value_text(cell.value, column.unit, column.decimals, edition)
    return f"{text}{labels.FLAG_MARK}" if cell.flagged else text


def panel_view(grid: PanelGrid, edition: Edition) -> dict:
    """A panel as the texts of its header rows and its rows."""
    return {
        "title": f"{edition.text(grid.title)} ({edition.text(grid.units)})",
        "spans": [(edition.text(header), span) for header, span in grid.spans],
        "sub_headers": [edition.text(c.header) for c in grid.columns] if grid.has_parts else [],
        "flat_headers": [
            f"{edition.text(c.column.header)}: {edition.text(c.header)}"
            if grid.has_parts
            else edition.text(c.column.header)
            for c in grid.columns
        ],
        "rows": [
            {
                "code": row.code,
                "name": row.name_in(edition),
                "is_total": row.is_total,
                "cells": [
                    cell_text(cell, column, edition)
                    for cell, column in zip(row.cells, grid.columns, strict=True)
                ],
            }
            for row in grid.rows
        ],
    }


def table_view(
    table: Table, charts: Sequence[Chart], folder: Path, edition: Edition, imprint: Imprint
) -> dict:
    grids = panel_grids(table)
    notes = [*table.notes]
    if any(grid.has_parts for grid in grids):
        notes.append(labels.small_base_note(imprint.small_base))
    return {
        "slug": table.slug,
        "heading": f"{edition.text(labels.TABLE_WORD)} {table.number}. {edition.text(table.title)}",
        "region_header": edition.text(region_header(table, imprint.level)),
        "panels": [panel_view(grid, edition) for grid in grids],
        "charts": [
            {"src": chart.path.relative_to(folder).as_posix(), "title": edition.text(chart.title)}
            for chart in charts
            if chart.table_number == table.number
        ],
        "notes": [edition.text(note) for note in notes],
        "definitions": [
            edition.text(labels.definition_note(measure)) for measure in measures_of(table)
        ],
    }


def key_figures(tables: Sequence[Table], edition: Edition) -> list[KeyFigure]:
    """The headline numbers, from the total rows of the published tables."""
    by_name = {table.name: table for table in tables}

    def total(name: str, measure: str, desil: str) -> str:
        cells = by_name[name].cells
        found = cells[
            (cells["region_code"] == TOTAL)
            & (cells["measure"] == measure)
            & (cells["desil"] == desil)
        ]
        if found.empty:
            return labels.NOT_AVAILABLE_MARK
        row = found.iloc[0]
        if row["suppressed"]:
            return labels.SUPPRESSED_MARK
        decimals = decimals_of(measure, str(row["kind"]))
        return value_text(float(row["value"]), str(row["unit"]), decimals, edition)

    return [
        KeyFigure(
            Label("Rumah tangga desil target", "Target-desil households"),
            total("households", "households", TOTAL),
        ),
        KeyFigure(
            Label("Individu desil target", "Target-desil individuals"),
            total("households", "individuals", TOTAL),
        ),
        KeyFigure(
            Label("Rumah tangga desil 1", "Desil-1 households"),
            total("households", "households", "1"),
        ),
        KeyFigure(
            Label("Keluarga PKH non-BDT", "PKH non-BDT families"),
            total("pkh_non_bdt", "pkh_non_bdt_families", "all"),
        ),
    ]


def general_notes(edition: Edition, imprint: Imprint) -> list[Label]:
    return [
        labels.SOURCE_NOTE,
        imprint.dates,
        labels.desil_note(imprint.max_desil),
        labels.suppression_note(imprint.k),
        labels.small_base_note(imprint.small_base),
        labels.NUMBERS_NOTE,
        labels.machine_tables_note(edition.file_name(WORKBOOK_STEM, ".xlsx")),
    ]


def reconciliation_rows(reconciliation: pd.DataFrame, edition: Edition) -> list[list[str]]:
    return [
        [
            str(row.raw_table),
            *(
                edition.number_text(float(count), 0)
                for count in (row.raw_rows, row.mart_rows, row.quarantined_rows)
            ),
            edition.text(labels.RECONCILED[bool(row.is_reconciled)]),
        ]
        for row in reconciliation.itertuples(index=False)
    ]


def written_report(
    tables: Sequence[Table],
    charts: Sequence[Chart],
    folder: Path,
    *,
    edition: Edition,
    imprint: Imprint,
    reconciliation: pd.DataFrame,
    other: Edition | None = None,
) -> tuple[Path, Path]:
    """Write the edition's report (HTML and Markdown) into `folder`; `other` is the other
    edition written beside it, linked from the top of the report."""
    text = edition.text
    context = {
        "lang": edition.language,
        "title": text(imprint.title),
        "selection": text(imprint.selection),
        "warehouse": f"{text(labels.WAREHOUSE_WORD)}: {imprint.warehouse}",
        "dates": text(imprint.dates),
        "k": imprint.k,
        "other_edition": (
            {"href": other.file_name(REPORT_STEM, ".html"), "text": text(labels.OTHER_EDITION)}
            if other
            else None
        ),
        "summary_heading": text(labels.SUMMARY_HEADING),
        "key_figures": [
            {"label": text(f.label), "value": f.value} for f in key_figures(tables, edition)
        ],
        "reconciliation_heading": text(labels.RECONCILIATION_HEADING),
        "reconciliation_headers": [text(header) for header in labels.RECONCILIATION_HEADERS],
        "reconciliation": reconciliation_rows(reconciliation, edition),
        "contents_heading": text(labels.CONTENTS_HEADING),
        "definitions_heading": text(labels.DEFINITIONS_HEADING),
        "tables": [table_view(table, charts, folder, edition, imprint) for table in tables],
        "code_header": text(CODE_HEADER),
        "suppressed_mark": labels.SUPPRESSED_MARK,
        "general_notes_heading": text(labels.GENERAL_NOTES_HEADING),
        "general_notes": [text(note) for note in general_notes(edition, imprint)],
    }
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    html = folder / edition.file_name(REPORT_STEM, ".html")
    html.write_text(environment.get_template("report.html.j2").render(context), encoding="utf-8")
    markdown = folder / edition.file_name(REPORT_STEM, ".md")
    markdown.write_text(markdown_report(context), encoding="utf-8")
    return html, markdown


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(context: dict) -> str:
    """The report as Markdown (GitHub tables), from the same context as the HTML."""
    lines = [
        f"# {context['title']}",
        "",
        f"{context['selection']}  ",
        f"{context['warehouse']} · k = {context['k']}  ",
        context["dates"],
        "",
    ]
    if context["other_edition"]:
        edition = context["other_edition"]
        lines += [f"[{edition['text']}]({edition['href'].removesuffix('.html')}.md)", ""]
    lines += [f"## {context['summary_heading']}", ""]
    lines += [f"- **{figure['value']}** {figure['label']}" for figure in context["key_figures"]]
    for table in context["tables"]:
        lines += ["", f"## {table['heading']}", ""]
        for panel in table["panels"]:
            headers = [context["code_header"], table["region_header"], *panel["flat_headers"]]
            lines += [
                f"### {panel['title']}",
                "",
                "| " + " | ".join(_md(header) for header in headers) + " |",
                "|---|---|" + "---:|" * len(panel["flat_headers"]),
            ]
            for row in panel["rows"]:
                name = f"**{_md(row['name'])}**" if row["is_total"] else _md(row["name"])
                lines.append("| " + " | ".join([row["code"], name, *row["cells"]]) + " |")
            lines.append("")
        for chart in table["charts"]:
            lines += [f"![{_md(chart['title'])}]({chart['src']})", ""]
        lines += [f"- {_md(note)}" for note in table["notes"]]
        lines += ["", f"**{context['definitions_heading']}**", ""]
        lines += [f"- {_md(definition)}" for definition in table["definitions"]]
        lines += ["", f"CSV: [tables/{table['slug']}.csv](tables/{table['slug']}.csv)"]
    lines += ["", f"## {context['general_notes_heading']}", ""]
    lines += [f"- {_md(note)}" for note in context["general_notes"]]
    return "\n".join(lines) + "\n"
