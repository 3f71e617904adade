"""PNG charts of the report, drawn from the published (suppressed, rounded) cells only, one
set per edition (its language and number format), each with the source and the dates of the
data under it and in its PNG metadata (Title, Source, Description)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import labels
from .edition import Edition, Imprint
from .labels import PROGRAMS, Label
from .layout import region_name_in
from .model import TOTAL, Table
from .tidy import published_cells

MAX_REGIONS = 40
DPI = 120
FOOTER_SIZE = 7
# Characters of the footer per inch of figure width at FOOTER_SIZE points.
FOOTER_CHARACTERS_PER_INCH = 17
SUPPRESSED_NOTE = Label("x = sel disupresi, tidak digambar", "x = suppressed cells, not drawn")
HOUSEHOLDS_AXIS = Label("Rumah tangga", "Households")
PERSONS_AXIS = Label("Jiwa", "Persons")
SHARE_AXIS = Label("% rumah tangga", "% of households")
POOR_BAR = Label("Penduduk miskin (BPS)", "Poor (BPS)")
EXCLUSION_AXIS = Label(
    "Eksklusi hanya dilihat di dalam BDT (Bah, Bazzi, Sumarto & Tobias, WPS8342)",
    "Exclusion is seen only within the registry (Bah, Bazzi, Sumarto & Tobias, WPS8342)",
)


def largest_note(count: int) -> Label:
    return Label(f"{count} wilayah terbesar", f"largest {count} regions")


def desil_colours(count: int) -> list:
    """Dark (desil 1, poorest) to light, for 4 desil (BDT) as for 10 (DTSEN)."""
    return list(matplotlib.colormaps["Blues_r"](np.linspace(0.0, 0.75, max(count, 2))))


@dataclass(frozen=True)
class Chart:
    """A chart written to the report folder: file name, title and the table it illustrates."""

    path: Path
    title: Label
    table_number: int


def footer_lines(figure: plt.Figure, edition: Edition, imprint: Imprint) -> str:
    """The source and the dates of the data, wrapped to the figure's width."""
    width = int(figure.get_figwidth() * FOOTER_CHARACTERS_PER_INCH)
    return "\n".join(
        textwrap.fill(edition.text(note), width) for note in (labels.SOURCE_NOTE, imprint.dates)
    )


def _finish(
    figure: plt.Figure, path: Path, title: Label, edition: Edition, imprint: Imprint
) -> Path:
    """Title the figure, write the source and dates under it and into the PNG's metadata, and
    save it as `path` with the edition's suffix."""
    figure.suptitle(edition.text(title), fontsize=12)
    figure.supxlabel(
        footer_lines(figure, edition, imprint),
        x=0.01,
        ha="left",
        fontsize=FOOTER_SIZE,
        color="#444444",
    )
    path = path.with_name(edition.file_name(path.stem, path.suffix))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(
        path,
        dpi=DPI,
        metadata={
            "Title": edition.text(title),
            "Source": edition.text(labels.SOURCE_NOTE),
            "Description": edition.text(imprint.dates),
        },
    )
    plt.close(figure)
    return path


def _number_formatter(edition: Edition) -> matplotlib.ticker.FuncFormatter:
    return matplotlib.ticker.FuncFormatter(lambda value, _: edition.number_text(value, 0))


def households_by_desil_chart(
    table: Table, folder: Path, edition: Edition, imprint: Imprint
) -> Chart:
    """Stacked horizontal bars: target-desil households of each region by desil; a region
    with suppressed cells is marked x."""
    bands, level = imprint.bands, imprint.level
    cells = published_cells(table)
    desils = [str(desil) for desil in bands]
    cells = cells[
        (cells["measure"] == "households")
        & (cells["region_code"] != TOTAL)
        & cells["desil"].isin(desils)
    ]
    grid = cells.pivot(index="region_code", columns="desil", values="value").fillna(0)[desils]
    hidden = cells.groupby("region_code")["suppressed"].any()
    names = cells.drop_duplicates("region_code").set_index("region_code")["region_name"]
    title = Label(
        f"Rumah tangga menurut desil per {level.id.lower()}",
        f"Households by desil per {level.en.lower()}",
    )
    shown = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index[:MAX_REGIONS]]
    shown = shown.sort_index(ascending=False)
    figure, axes = plt.subplots(figsize=(10, 2.6 + 0.36 * len(shown)), layout="constrained")
    left = np.zeros(len(shown))
    colours = desil_colours(len(desils))
    labels_y = [f"{names[code]} ({code})" for code in shown.index]
    for index, desil in enumerate(desils):
        axes.barh(
            labels_y,
            shown[desil],
            left=left,
            color=colours[index],
            edgecolor="white",
            label=edition.text(bands[int(desil)]),
        )
        left += shown[desil].to_numpy()
    for position, code in enumerate(shown.index):
        if hidden[code]:
            axes.annotate(
                " x", (left[position], position), va="center", fontsize=9, color="#b30000"
            )
    note = edition.text(SUPPRESSED_NOTE)
    if len(grid) > MAX_REGIONS:
        note += f"; {edition.text(largest_note(MAX_REGIONS))}"
    axes.set_xlabel(f"{edition.text(HOUSEHOLDS_AXIS)}\n({note})")
    axes.xaxis.set_major_formatter(_number_formatter(edition))
    axes.margins(y=0.01)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    path = _finish(figure, folder / "households_by_desil.png", title, edition, imprint)
    return Chart(path, title, table.number)


def program_coverage_chart(table: Table, folder: Path, edition: Edition, imprint: Imprint) -> Chart:
    """Grouped bars: share of households receiving each program, by desil (total row)."""
    bands = imprint.bands
    cells = published_cells(table)
    cells = cells[(cells["region_code"] == TOTAL) & cells["measure"].str.startswith("receives_")]
    desils = [str(desil) for desil in bands]
    grid = cells.pivot(index="measure", columns="desil", values="value")
    programs = [f"receives_{program}" for program in PROGRAMS]
    grid = grid.reindex(index=programs, columns=desils)
    title = Label(
        "Rumah tangga penerima program menurut desil (%)",
        "Households receiving each program by desil (%)",
    )
    figure, axes = plt.subplots(figsize=(10, 5.8), layout="constrained")
    width = 0.8 / len(desils)
    colours = desil_colours(len(desils))
    positions = np.arange(len(programs))
    for index, desil in enumerate(desils):
        bars = axes.bar(
            positions + (index - (len(desils) - 1) / 2) * width,
            grid[desil].fillna(0),
            width,
            color=colours[index],
            edgecolor="#333333",
            linewidth=0.4,
            label=edition.text(bands[int(desil)]),
        )
        axes.bar_label(bars, fmt=_bar_text(edition), fontsize=7, padding=1)
    axes.set_xticks(
        positions, [edition.text(PROGRAMS[p.removeprefix("receives_")]) for p in programs]
    )
    axes.set_ylabel(edition.text(SHARE_AXIS))
    axes.set_ylim(0, 100)
    axes.legend(fontsize=8, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    path = _finish(figure, folder / "program_coverage_by_desil.png", title, edition, imprint)
    return Chart(path, title, table.number)


def _bar_text(edition: Edition) -> Callable[[float], str]:
    """The label of a bar (Axes.bar_label fmt): its value, whole, in the edition's format."""
    return lambda value: edition.number_text(value, 0)


def targeting_chart(table: Table, folder: Path, edition: Edition, imprint: Imprint) -> Chart:
    """Grouped bars per program: coverage of desil 1, exclusion and leakage (total row)."""
    cells = published_cells(table)
    cells = cells[cells["region_code"] == TOTAL].set_index("measure")["value"]
    title = Label(
        "Ketepatan sasaran: cakupan desil 1 dan kebocoran (%)",
        "Targeting: coverage of desil 1 and leakage (%)",
    )
    series = {
        "coverage": (Label("Cakupan desil 1", "Desil-1 coverage"), "#2171b5"),
        "undercoverage": (Label("Eksklusi desil 1", "Desil-1 exclusion"), "#fd8d3c"),
        "leakage_bdt": (
            Label("Kebocoran (di luar desil 1-2)", "Leakage (outside desil 1-2)"),
            "#969696",
        ),
    }
    figure, axes = plt.subplots(figsize=(10, 5.8), layout="constrained")
    positions = np.arange(len(PROGRAMS))
    width = 0.26
    for index, (prefix, (label, colour)) in enumerate(series.items()):
        values = [cells.get(f"{prefix}_{program}", np.nan) for program in PROGRAMS]
        bars = axes.bar(
            positions + (index - 1) * width,
            np.nan_to_num(values),
            width,
            color=colour,
            label=edition.text(label),
        )
        axes.bar_label(bars, fmt=_bar_text(edition), fontsize=7, padding=1)
    axes.set_xticks(positions, [edition.text(label) for label in PROGRAMS.values()])
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.legend(fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.set_xlabel(edition.text(EXCLUSION_AXIS), fontsize=8)
    path = _finish(figure, folder / "program_targeting.png", title, edition, imprint)
    return Chart(path, title, table.number)


def poverty_chart(table: Table, folder: Path, edition: Edition, imprint: Imprint) -> Chart | None:
    """Bars per region with a poverty figure: poor people beside BDT individuals (desil 1,
    desil 1-2, every target desil)."""
    max_desil = imprint.max_desil
    cells = published_cells(table)
    regions = [
        code
        for code in dict.fromkeys(cells["region_code"])
        if cells[(cells["region_code"] == code) & (cells["measure"] == "bdt_individuals")]["value"]
        .notna()
        .any()
    ]
    if not regions:
        return None
    title = Label(
        "Individu BDT dan penduduk miskin (BPS)", "BDT individuals and the poor population (BPS)"
    )
    figure, axes = plt.subplots(
        1, len(regions), figsize=(5 + 3 * len(regions), 5.2), squeeze=False, layout="constrained"
    )
    for axis, code in zip(axes[0], regions, strict=True):
        mine = cells[cells["region_code"] == code]
        value = mine.set_index(["measure", "desil"])["value"]
        desil_2 = min(2, max_desil)
        bars = {
            edition.text(POOR_BAR): value.get(("poor_people", "all"), np.nan),
            "BDT desil 1": value.get(("bdt_individuals", "1"), np.nan),
            f"BDT desil 1-{desil_2}": sum(
                value.get(("bdt_individuals", str(d)), 0) for d in range(1, desil_2 + 1)
            ),
            f"BDT desil 1-{max_desil}": value.get(("bdt_individuals", TOTAL), np.nan),
        }
        drawn = axis.bar(
            list(bars),
            np.nan_to_num(list(bars.values())),
            color=["#cb181d", *desil_colours(3)],
            edgecolor="#333333",
            linewidth=0.4,
        )
        axis.bar_label(drawn, labels=[edition.number_text(v, 0) for v in bars.values()], fontsize=8)
        name = region_name_in(str(mine["region_name"].iloc[0]), edition)
        axis.set_title(f"{name} ({code})", fontsize=10)
        axis.yaxis.set_major_formatter(_number_formatter(edition))
        axis.set_ylabel(edition.text(PERSONS_AXIS))
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
    path = _finish(figure, folder / "bdt_and_poverty.png", title, edition, imprint)
    return Chart(path, title, table.number)


MAX_PANELS = 12


def desil_over_deliveries_chart(
    table: Table, folder: Path, edition: Edition, imprint: Imprint
) -> Chart | None:
    """Small multiples, one per region (the largest MAX_PANELS): households of each target
    desil over the deliveries (table 13); suppressed cells are not drawn. None when the table
    is empty (no delivery history)."""
    cells = published_cells(table)
    cells = cells[cells["region_code"] != TOTAL]
    stocks = cells[cells["measure"] == "households_by_delivery"]
    if stocks.empty:
        return None
    parts = stocks["desil"].str.rsplit(":", n=1, expand=True)
    stocks = stocks.assign(delivery=parts[0], category=parts[1])
    # the latest delivery's target desil are Table 1's cells (measure households)
    latest = stocks["delivery"].iloc[-1]
    shared = cells[cells["measure"] == "households"]
    cells = pd.concat(
        [stocks, shared.assign(delivery=latest, category=shared["desil"])], ignore_index=True
    )
    desils = [str(desil) for desil in imprint.bands]
    cells = cells[cells["category"].isin(desils)]
    deliveries = list(dict.fromkeys(cells["delivery"]))
    sizes = cells.groupby("region_code")["value"].sum().sort_values(ascending=False)
    regions = sorted(sizes.index[:MAX_PANELS])
    names = cells.drop_duplicates("region_code").set_index("region_code")["region_name"]
    level = imprint.level
    title = Label(
        f"Rumah tangga menurut desil pada setiap penyerahan, per {level.id.lower()}",
        f"Households by desil in every delivery, per {level.en.lower()}",
    )
    columns = min(3, len(regions))
    rows = -(-len(regions) // columns)
    figure, grid = plt.subplots(
        rows,
        columns,
        figsize=(3.4 * columns + 1, 2.4 * rows + 1.6),
        layout="constrained",
        squeeze=False,
        sharex=True,
    )
    colours = desil_colours(len(desils))
    positions = np.arange(len(deliveries))
    for index, axes in enumerate(grid.flat):
        if index >= len(regions):
            axes.set_visible(False)
            continue
        code = regions[index]
        mine = cells[cells["region_code"] == code].pivot(
            index="delivery", columns="category", values="value"
        )
        mine = mine.reindex(index=deliveries, columns=desils)
        for number, desil in enumerate(desils):
            axes.plot(
                positions,
                mine[desil].to_numpy(dtype=float),
                marker="o",
                markersize=3,
                color=colours[number],
                label=edition.text(imprint.bands[int(desil)]),
            )
        axes.set_title(f"{names[code]} ({code})", fontsize=8)
        axes.yaxis.set_major_formatter(_number_formatter(edition))
        axes.set_xticks(positions, deliveries, fontsize=7, rotation=45)
        axes.tick_params(axis="y", labelsize=7)
        axes.grid(alpha=0.3)
    note = edition.text(SUPPRESSED_NOTE)
    if len(sizes) > MAX_PANELS:
        note += f"; {edition.text(largest_note(MAX_PANELS))}"
    handles, texts = grid.flat[0].get_legend_handles_labels()
    figure.legend(handles, texts, loc="outside right upper", fontsize=8, frameon=False)
    figure.supylabel(f"{edition.text(HOUSEHOLDS_AXIS)} ({note})", fontsize=8)
    path = _finish(figure, folder / "desil_over_deliveries.png", title, edition, imprint)
    return Chart(path, title, table.number)


def written_charts(
    tables: Sequence[Table], folder: Path, *, edition: Edition, imprint: Imprint
) -> list[Chart]:
    """Every chart of the report in `edition`, written to `folder`."""
    by_name = {table.name: table for table in tables}
    charts = [
        households_by_desil_chart(by_name["households"], folder, edition, imprint),
        program_coverage_chart(by_name["programs"], folder, edition, imprint),
        targeting_chart(by_name["programs"], folder, edition, imprint),
    ]
    poverty = poverty_chart(by_name["bdt_and_poverty"], folder, edition, imprint)
    over_time = desil_over_deliveries_chart(
        by_name["households_by_delivery"], folder, edition, imprint
    )
    return charts + [chart for chart in (poverty, over_time) if chart]
