"""PNG charts of the report, drawn from the published (suppressed, rounded) cells only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from .labels import PROGRAMS, Label
from .model import TOTAL, Table
from .tidy import published_cells

MAX_REGIONS = 40
DPI = 120


def desil_colours(count: int) -> list:
    """Dark (desil 1, poorest) to light, for 4 desil (BDT) as for 10 (DTSEN)."""
    return list(matplotlib.colormaps["Blues_r"](np.linspace(0.0, 0.75, max(count, 2))))


@dataclass(frozen=True)
class Chart:
    """A chart written to the report folder: file name, title and the table it illustrates."""

    path: Path
    title: Label
    table_number: int


def _finish(figure: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    return path


def households_by_desil_chart(
    table: Table, bands: dict[int, Label], level: Label, folder: Path
) -> Chart:
    """Stacked horizontal bars: target-desil households of each region by desil; a region
    with suppressed cells is marked x."""
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
    figure, axes = plt.subplots(figsize=(10, 2.2 + 0.36 * len(shown)), layout="constrained")
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
            label=bands[int(desil)].both(),
        )
        left += shown[desil].to_numpy()
    for position, code in enumerate(shown.index):
        if hidden[code]:
            axes.annotate(
                " x", (left[position], position), va="center", fontsize=9, color="#b30000"
            )
    note = "x = sel disupresi, tidak digambar / suppressed cells, not drawn"
    if len(grid) > MAX_REGIONS:
        note += f"; {MAX_REGIONS} wilayah terbesar / largest {MAX_REGIONS} regions"
    axes.set_xlabel(f"Rumah tangga / Households\n({note})")
    axes.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    axes.margins(y=0.01)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    figure.suptitle(title.both("\n"), fontsize=12)
    return Chart(_finish(figure, folder / "households_by_desil.png"), title, table.number)


def program_coverage_chart(table: Table, bands: dict[int, Label], folder: Path) -> Chart:
    """Grouped bars: share of households receiving each program, by desil (total row)."""
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
    figure, axes = plt.subplots(figsize=(10, 5.4), layout="constrained")
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
            label=bands[int(desil)].both(),
        )
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    axes.set_xticks(positions, [PROGRAMS[p.removeprefix("receives_")].en for p in programs])
    axes.set_ylabel("% rumah tangga / % of households")
    axes.set_ylim(0, 100)
    figure.suptitle(title.both("\n"), fontsize=12)
    axes.legend(fontsize=8, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    return Chart(_finish(figure, folder / "program_coverage_by_desil.png"), title, table.number)


def targeting_chart(table: Table, folder: Path) -> Chart:
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
        "leakage": (
            Label("Kebocoran (di luar desil 1-2)", "Leakage (outside desil 1-2)"),
            "#969696",
        ),
    }
    figure, axes = plt.subplots(figsize=(10, 5.4), layout="constrained")
    positions = np.arange(len(PROGRAMS))
    width = 0.26
    for index, (prefix, (label, colour)) in enumerate(series.items()):
        values = [cells.get(f"{prefix}_{program}", np.nan) for program in PROGRAMS]
        bars = axes.bar(
            positions + (index - 1) * width,
            np.nan_to_num(values),
            width,
            color=colour,
            label=label.both(),
        )
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    axes.set_xticks(positions, [label.en for label in PROGRAMS.values()])
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    figure.suptitle(title.both("\n"), fontsize=12)
    axes.legend(fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.set_xlabel(
        "Eksklusi hanya dilihat di dalam BDT / exclusion is seen only within the registry "
        "(Bah, Bazzi, Sumarto & Tobias, WPS8342)",
        fontsize=8,
    )
    return Chart(_finish(figure, folder / "program_targeting.png"), title, table.number)


def poverty_chart(table: Table, bands: dict[int, Label], folder: Path) -> Chart | None:
    """Bars per region with a poverty figure: poor people beside BDT individuals (desil 1,
    desil 1-2, every target desil)."""
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
        1, len(regions), figsize=(5 + 3 * len(regions), 4.8), squeeze=False, layout="constrained"
    )
    for axis, code in zip(axes[0], regions, strict=True):
        mine = cells[cells["region_code"] == code]
        value = mine.set_index(["measure", "desil"])["value"]
        desil_2 = min(2, max(bands))
        bars = {
            "Penduduk miskin\nPoor (BPS)": value.get(("poor_people", "all"), np.nan),
            "BDT desil 1": value.get(("bdt_individuals", "1"), np.nan),
            f"BDT desil 1-{desil_2}": sum(
                value.get(("bdt_individuals", str(d)), 0) for d in range(1, desil_2 + 1)
            ),
            f"BDT desil 1-{max(bands)}": value.get(("bdt_individuals", TOTAL), np.nan),
        }
        drawn = axis.bar(
            list(bars),
            np.nan_to_num(list(bars.values())),
            color=["#cb181d", *desil_colours(3)],
            edgecolor="#333333",
            linewidth=0.4,
        )
        axis.bar_label(drawn, labels=[f"{v:,.0f}" for v in bars.values()], fontsize=8)
        axis.set_title(f"{mine['region_name'].iloc[0]} ({code})", fontsize=10)
        axis.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        axis.set_ylabel("Jiwa / Persons")
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
    figure.suptitle(title.both("\n"), fontsize=12)
    return Chart(_finish(figure, folder / "bdt_and_poverty.png"), title, table.number)


def written_charts(
    tables: Sequence[Table], bands: dict[int, Label], level: Label, folder: Path
) -> list[Chart]:
    """Every chart of the report, written to `folder`."""
    by_name = {table.name: table for table in tables}
    charts = [
        households_by_desil_chart(by_name["households"], bands, level, folder),
        program_coverage_chart(by_name["programs"], bands, folder),
        targeting_chart(by_name["programs"], folder),
    ]
    poverty = poverty_chart(by_name["bdt_and_poverty"], bands, folder)
    return charts + ([poverty] if poverty else [])
