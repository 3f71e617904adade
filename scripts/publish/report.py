"""The report: report.html (Jinja2 template) and report.md, the tables as published with
their charts and notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import labels
from .charts import Chart
from .excel import region_header
from .labels import CODE_HEADER, UNITS, Label
from .model import TOTAL, Panel, Table
from .tidy import ColumnFormat, decimals_of, panel_formats, panel_grid

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class KeyFigure:
    label: Label
    value: str


def cell_text(value: float, column: ColumnFormat, suppressed: bool) -> str:
    """A published value as text: 'x' suppressed, '–' not available, else with thousands
    separators (none for years) and the published decimals."""
    if suppressed:
        return labels.SUPPRESSED_MARK
    if pd.isna(value):
        return labels.NOT_AVAILABLE_MARK
    if column.unit == "year":
        return f"{value:.0f}"
    return f"{value:,.{column.decimals}f}"


def panel_view(table: Table, panel: Panel) -> dict:
    """A panel as headers and rows of texts."""
    values, suppressed = panel_grid(table, panel)
    formats = panel_formats(table, panel)
    names = table.cells.drop_duplicates("region_code").set_index("region_code")["region_name"]
    rows = [
        {
            "code": "" if region == TOTAL else region,
            "name": names[region],
            "is_total": region == TOTAL,
            "cells": [
                cell_text(values.at[region, key], formats[key], bool(suppressed.at[region, key]))
                for key in values.columns
            ],
        }
        for region in values.index
    ]
    unit_labels = list(dict.fromkeys(UNITS[column.unit] for column in formats.values()))
    return {
        "title": panel.title,
        "unit": Label(
            ", ".join(unit.id for unit in unit_labels), ", ".join(unit.en for unit in unit_labels)
        ),
        "headers": [column.header for column in panel.columns],
        "rows": rows,
    }


def table_view(table: Table, charts: Sequence[Chart], level: Label, folder: Path) -> dict:
    return {
        "slug": table.slug,
        "number": table.number,
        "title": table.title,
        "region_header": region_header(table, level),
        "panels": [panel_view(table, panel) for panel in table.panels],
        "charts": [
            {"src": chart.path.relative_to(folder).as_posix(), "title": chart.title}
            for chart in charts
            if chart.table_number == table.number
        ],
        "notes": table.notes,
    }


def key_figures(tables: Sequence[Table]) -> list[KeyFigure]:
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
        column = ColumnFormat(str(row["unit"]), decimals_of(measure, str(row["kind"])))
        return cell_text(row["value"], column, bool(row["suppressed"]))

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


def general_notes(k: int) -> list[Label]:
    return [
        labels.SOURCE_NOTE,
        labels.DESIL_NOTE,
        labels.suppression_note(k),
        labels.NUMBERS_NOTE,
        Label(
            "Tabel mesin (format panjang): folder tables/; buku kerja Excel: bdt_tables.xlsx.",
            "Machine-readable tables (long format): folder tables/; Excel workbook: "
            "bdt_tables.xlsx.",
        ),
    ]


def written_report(
    tables: Sequence[Table],
    charts: Sequence[Chart],
    folder: Path,
    *,
    selection: Label,
    level: Label,
    k: int,
    warehouse: str,
    generated: str,
    reconciliation: pd.DataFrame,
) -> tuple[Path, Path]:
    """Write report.html and report.md into `folder`."""
    context = {
        "title": labels.PUBLICATION_TITLE,
        "selection": selection,
        "warehouse": warehouse,
        "generated": generated,
        "k": k,
        "key_figures": key_figures(tables),
        "reconciliation": reconciliation.to_dict("records"),
        "tables": [table_view(table, charts, level, folder) for table in tables],
        "code_header": CODE_HEADER,
        "suppressed_mark": labels.SUPPRESSED_MARK,
        "general_notes": general_notes(k),
    }
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    html = folder / "report.html"
    html.write_text(environment.get_template("report.html.j2").render(context), encoding="utf-8")
    markdown = folder / "report.md"
    markdown.write_text(markdown_report(context), encoding="utf-8")
    return html, markdown


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_report(context: dict) -> str:
    """The report as Markdown (GitHub tables), from the same context as the HTML."""
    title: Label = context["title"]
    lines = [
        f"# {title.id}",
        f"*{title.en}*",
        "",
        f"{context['selection'].id}  ",
        f"*{context['selection'].en}*  ",
        f"Gudang data / Warehouse: `{context['warehouse']}` · k = {context['k']} · "
        f"{context['generated']}",
        "",
        "## Ringkasan / Summary",
        "",
    ]
    lines += [
        f"- **{figure.value}** {figure.label.id} / *{figure.label.en}*"
        for figure in context["key_figures"]
    ]
    for table in context["tables"]:
        lines += ["", f"## Tabel {table['number']}. {table['title'].id}", ""]
        lines += [f"*Table {table['number']}. {table['title'].en}*", ""]
        for panel in table["panels"]:
            lines += [
                f"### {panel['title'].both()} ({panel['unit'].both()})",
                "",
                "| "
                + " | ".join(
                    _md(header.both())
                    for header in [CODE_HEADER, table["region_header"], *panel["headers"]]
                )
                + " |",
                "|---|---|" + "---:|" * len(panel["headers"]),
            ]
            for row in panel["rows"]:
                name = f"**{_md(row['name'])}**" if row["is_total"] else _md(row["name"])
                lines.append("| " + " | ".join([row["code"], name, *row["cells"]]) + " |")
            lines.append("")
        for chart in table["charts"]:
            lines += [f"![{_md(chart['title'].both())}]({chart['src']})", ""]
        lines += [f"- {_md(note.id)}<br>*{_md(note.en)}*" for note in table["notes"]]
        lines += ["", f"CSV: [tables/{table['slug']}.csv](tables/{table['slug']}.csv)"]
    lines += ["", "## Catatan umum / General notes", ""]
    lines += [f"- {_md(note.id)}<br>*{_md(note.en)}*" for note in context["general_notes"]]
    return "\n".join(lines) + "\n"
