"""The tables over the deliveries (11-14): what changed between the two latest deliveries by
region and desil, the desil transition matrix, households by desil in every delivery, and the
freshness of the records. Their counts are protected together (one suppression domain): a
cell that two tables show is one cell (same key), and the relations between them (a row of the
matrix adds up to the households of the previous delivery; the households of a desil of the
previous delivery are those that exited, moved up, moved down or stayed) are lines of the
secondary suppression. The kinds of change and the categories: deliveries.py."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .aggregate import desil_codes, in_target_desil
from .deliveries import (
    ABSENT,
    CHANGE_KINDS,
    FRESHNESS_BANDS,
    MOVED_DOWN,
    MOVED_UP,
    NON_TARGET,
    REREGISTERED,
    UNKNOWN_BAND,
    History,
    category_rank,
    change_kind,
)
from .labels import Label
from .model import CELL_COLUMNS, COUNT, TOTAL, Column, Panel, Table, cell_key
from .warehouse import Extract

# The suppression domain of tables 1-10 (rows: the regions): the latest delivery's households by
# region and target desil are Table 1's households cells (same keys) when they agree, so that a
# cell is protected once across the whole publication (see StockCells).
DOMAIN = "regions"
TABLE_1_MEASURE = "households"
STOCK = "households_by_delivery"
BETWEEN = "moved_between_desil"
FRESHNESS = "households_by_months_since_change"
CHANGES_TITLE = Label(
    "Perubahan antara dua penyerahan terakhir menurut wilayah dan desil",
    "Changes between the two latest deliveries by region and desil",
)
TRANSITIONS_TITLE = Label(
    "Matriks perpindahan desil antara dua penyerahan terakhir",
    "Desil transition matrix between the two latest deliveries",
)
STOCKS_TITLE = Label(
    "Rumah tangga menurut desil pada setiap penyerahan", "Households by desil in every delivery"
)
FRESHNESS_TITLE = Label(
    "Rumah tangga menurut lamanya sejak perubahan terakhir (kebaruan data)",
    "Households by months since their last change (freshness)",
)


def categories(extract: Extract) -> list[str]:
    """The desil categories of a delivery, from the poorest: the target desil, non-target."""
    return [*desil_codes(extract), NON_TARGET]


def stock_key(delivery: str, category: str) -> str:
    """The desil code of a stock cell: <delivery>:<category> (category TOTAL: every one)."""
    return f"{delivery}:{category}"


def impossible(kind: str, category: str, lowest: str) -> bool:
    """Cells that cannot hold a household: moving up from the highest category (non-target),
    moving down from desil 1."""
    return (kind == MOVED_UP and category == NON_TARGET) or (
        kind == MOVED_DOWN and category == lowest
    )


def _cells(rows: list[tuple[str, str, str, float]], history: History, level: str) -> pd.DataFrame:
    """Count cells (households) from (region_code, measure, desil, value) rows."""
    names = dict(zip(history.regions["region_code"], history.regions["region_name"], strict=True))
    names[TOTAL] = labels.TOTAL_ROW.both()
    frame = pd.DataFrame(rows, columns=["region_code", "measure", "desil", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame.assign(
        region_level=np.where(frame["region_code"] == TOTAL, TOTAL, level),
        region_name=frame["region_code"].map(names),
        unit="households",
        base=frame["value"],
        kind=COUNT,
        base_unit="households",
        base_households=frame["value"],
        unknown=np.nan,
    )[CELL_COLUMNS]


def _empty(number: int, name: str, title: Label, note: Label) -> Table:
    return Table(
        number,
        name,
        title,
        pd.DataFrame(columns=CELL_COLUMNS),
        (),
        notes=(note,),
        suppression_domain=DOMAIN,
    )


def _without_history(extract: Extract) -> Label | None:
    if extract.history is None:
        return labels.NO_HISTORY_NOTE
    return None


def _without_two_deliveries(extract: Extract) -> Label | None:
    """Why a table of the two latest deliveries cannot be made (no history marts, or one
    delivery only), or None when it can."""
    history = extract.history
    if history is None:
        return labels.NO_HISTORY_NOTE
    if history.previous is None:
        return labels.one_delivery_note(history.latest.label)
    return None


def _with_region_totals(counts: pd.DataFrame, regions: list[str], columns: list[str]) -> dict:
    """{(region, column): households}, every region and the TOTAL row, 0 where empty."""
    grid = (
        counts.pivot_table(
            index="region_code", columns="column", values="households", aggfunc="sum"
        )
        .reindex(index=regions, columns=columns)
        .fillna(0.0)
    )
    grid.loc[TOTAL] = grid.sum(axis=0)
    return {(r, c): float(grid.at[r, c]) for r in grid.index for c in columns}


# -- 13. households by desil in every delivery ---------------------------------------------------


def shares_table_1(extract: Extract, history: History) -> bool:
    """True when the latest delivery's target-desil households by region (from
    marts.fct_household_deliveries) are those of Table 1 (marts.dim_household): then they are
    the same cells."""
    targets = desil_codes(extract)
    latest = history.stocks[
        (history.stocks["delivery"] == history.latest.label)
        & history.stocks["category"].isin(targets)
    ]
    mine = {
        (str(region), str(category)): int(n)
        for region, category, n in zip(
            latest["region_code"], latest["category"], latest["households"], strict=True
        )
        if n
    }
    households = extract.households
    if households.empty or "desil" not in households:
        return not mine
    target = in_target_desil(households)
    counts = target.groupby(["region_code", "desil"], observed=True).size()
    theirs = {(str(region), str(desil)): int(n) for (region, desil), n in counts.items() if n}
    return mine == theirs


@dataclass(frozen=True)
class StockCells:
    """Where the households of a delivery in a desil category are published: Table 1's cell
    for the latest delivery's target desil when shares_table_1, else households_by_delivery
    <delivery>:<category>. Built once per table (shares_table_1 groups every household)."""

    latest: str
    target_desils: frozenset[str]
    shared_with_table_1: bool

    def of(self, delivery: str, category: str) -> tuple[str, str]:
        """(measure, desil) of the households of a delivery in a desil category (TOTAL: every
        category)."""
        if delivery == self.latest and category in self.target_desils and self.shared_with_table_1:
            return (TABLE_1_MEASURE, category)
        return (STOCK, stock_key(delivery, category))


def stock_cells(extract: Extract, history: History) -> StockCells:
    return StockCells(
        latest=history.latest.label,
        target_desils=frozenset(desil_codes(extract)),
        shared_with_table_1=shares_table_1(extract, history),
    )


def stock_values(
    extract: Extract, history: History, cells: StockCells
) -> dict[tuple[str, str, str], float]:
    """{(region, measure, desil): households} of every delivery and desil category
    (StockCells.of), with the TOTAL row and column."""
    cats = categories(extract)
    regions = list(history.regions["region_code"])
    values: dict[tuple[str, str, str], float] = {}
    for delivery in history.deliveries:
        rows = history.stocks[history.stocks["delivery"] == delivery.label]
        grid = _with_region_totals(rows.rename(columns={"category": "column"}), regions, cats)
        for region in [*regions, TOTAL]:
            for category in cats:
                key = cells.of(delivery.label, category)
                values[(region, *key)] = grid[(region, category)]
            key = cells.of(delivery.label, TOTAL)
            values[(region, *key)] = sum(grid[(region, category)] for category in cats)
    return values


def stocks_table(extract: Extract) -> Table:
    """13. Households by region and desil category in every delivery."""
    note = _without_history(extract)
    if note is not None:
        return _empty(13, "households_by_delivery", STOCKS_TITLE, note)
    history = extract.history
    assert history is not None
    cats = categories(extract)
    cells = stock_cells(extract, history)
    values = stock_values(extract, history, cells)
    rows = [(region, measure, desil, value) for (region, measure, desil), value in values.items()]
    panels = tuple(
        Panel(
            labels.delivery_label(delivery.label, delivery.as_of),
            "households",
            tuple(
                Column(
                    cells.of(delivery.label, category)[1],
                    cells.of(delivery.label, category)[0],
                    labels.category_label(category, extract.bands),
                )
                for category in [*cats, TOTAL]
            ),
        )
        for delivery in history.deliveries
    )
    relations = tuple(
        tuple(cell_key(*cells.of(delivery.label, c)) for c in [*cats, TOTAL])
        for delivery in history.deliveries
    )
    shared = cells.shared_with_table_1
    return Table(
        13,
        "households_by_delivery",
        STOCKS_TITLE,
        _cells(rows, history, extract.selection.level.name),
        panels,
        notes=(
            labels.desil_note(max(extract.bands)),
            labels.TABLE_1_SHARED_NOTE if shared else labels.TABLE_1_DIFFERS_NOTE,
        ),
        row_relations=relations,
        suppression_domain=DOMAIN,
    )


# -- 11. changes between the two latest deliveries -----------------------------------------------


def classified(transitions: pd.DataFrame) -> pd.DataFrame:
    """The transition counts with their kind of change and desil column (the category before;
    the category after for a household that entered)."""
    kinds = [
        change_kind(before, after)
        for before, after in zip(transitions["before"], transitions["after"], strict=True)
    ]
    column = np.where(transitions["before"] == ABSENT, transitions["after"], transitions["before"])
    return transitions.assign(kind=kinds, column=column)


def changes_table(extract: Extract) -> Table:
    """11. Households that entered, exited, moved up or down a desil, or stayed, between the
    two latest deliveries, and those re-registered, by region and desil category."""
    history = extract.history
    note = _without_two_deliveries(extract)
    if note is not None or history is None or history.previous is None:
        return _empty(11, "changes", CHANGES_TITLE, note or labels.NO_HISTORY_NOTE)
    cats = categories(extract)
    cells = stock_cells(extract, history)
    regions = list(history.regions["region_code"])
    counts = classified(history.transitions)
    rows = []
    for kind in (*CHANGE_KINDS, REREGISTERED):
        chosen = counts[counts["reregistered"]] if kind == REREGISTERED else counts
        chosen = chosen if kind == REREGISTERED else chosen[chosen["kind"] == kind]
        grid = _with_region_totals(chosen, regions, cats)
        for region in [*regions, TOTAL]:
            shown = []
            for category in cats:
                value = np.nan if impossible(kind, category, cats[0]) else grid[(region, category)]
                rows.append((region, kind, category, value))
                shown.append(value)
            rows.append((region, kind, TOTAL, float(np.nansum(shown))))
    measures = (*CHANGE_KINDS, REREGISTERED)
    panels = tuple(
        Panel(
            labels.MEASURES[kind],
            "households",
            tuple(
                Column(category, kind, labels.category_label(category, extract.bands))
                for category in [*cats, TOTAL]
            ),
        )
        for kind in measures
    )
    previous = history.previous.label
    # a row of each kind adds up across the categories; the households of a category in the
    # previous delivery are those that exited, moved up, moved down or stayed
    relations = tuple(
        tuple(cell_key(kind, category) for category in [*cats, TOTAL]) for kind in measures
    ) + tuple(
        (
            *(cell_key(kind, category) for kind in CHANGE_KINDS[1:]),
            cell_key(*cells.of(previous, category)),
        )
        for category in [*cats, TOTAL]
    )
    return Table(
        11,
        "changes",
        CHANGES_TITLE,
        _cells(rows, history, extract.selection.level.name),
        panels,
        notes=(labels.changes_note(previous, history.latest.label),),
        row_relations=relations,
        suppression_domain=DOMAIN,
    )


# -- 12. the desil transition matrix -------------------------------------------------------------


def matrix_key(before: str, after: str) -> tuple[str, str]:
    """(measure, desil) of a cell of the matrix: the cells of table 11's total row where they
    are the same households (entered, exited, unchanged), else moved_between_desil b_to_a."""
    if before == ABSENT:
        return change_kind(before, after), after
    if after == ABSENT or before == after:
        return change_kind(before, after), before
    return BETWEEN, f"{before}_to_{after}"


def _margin(
    stocks: dict[tuple[str, str, str], float], sums: pd.Series, key: tuple[str, str, str], side: str
) -> float:
    """A margin of the transition matrix: the stock of `key` when the warehouse gives it, else
    the households absent on `side` ("before" or "after") summed over the other side."""
    if key in stocks:
        return stocks[key]
    if ABSENT not in sums.index.get_level_values(side):
        return 0.0
    return float(sums.xs(ABSENT, level=side).sum())


def transitions_table(extract: Extract) -> Table:
    """12. Households by desil category in the previous delivery (panels) and in the latest
    (columns), absent included; for the whole selection (the total row)."""
    history = extract.history
    note = _without_two_deliveries(extract)
    if note is not None or history is None or history.previous is None:
        return _empty(12, "desil_transitions", TRANSITIONS_TITLE, note or labels.NO_HISTORY_NOTE)
    cats = categories(extract)
    previous, latest = history.previous.label, history.latest.label
    cells = stock_cells(extract, history)
    sums = history.transitions.groupby(["before", "after"])["households"].sum()
    stocks = stock_values(extract, history, cells)
    befores, afters = [*cats, ABSENT], [*cats, ABSENT]
    rows: list[tuple[str, str, str, float]] = []

    def row_total(before: str) -> tuple[str, str]:
        if before == ABSENT:
            return change_kind(ABSENT, cats[0]), TOTAL
        return cells.of(previous, before)

    def column_total(after: str) -> tuple[str, str]:
        if after == ABSENT:
            return change_kind(cats[0], ABSENT), TOTAL
        return cells.of(latest, after)

    panels, relations = [], []
    for before in befores:
        columns = []
        line = []
        for after in afters:
            if before == ABSENT and after == ABSENT:
                continue
            measure, desil = matrix_key(before, after)
            rows.append((TOTAL, measure, desil, float(sums.get((before, after), 0))))
            header = labels.category_label(after, extract.bands)
            columns.append(Column(desil, measure, header))
            line.append(cell_key(measure, desil))
        measure, desil = row_total(before)
        value = _margin(stocks, sums, (TOTAL, measure, desil), "before")
        rows.append((TOTAL, measure, desil, value))
        columns.append(Column(desil, measure, labels.TOTAL_ROW))
        relations.append((*line, cell_key(measure, desil)))
        panels.append(
            Panel(
                Label(
                    f"Dari: {labels.category_label(before, extract.bands).id} (penyerahan "
                    f"{previous}); ke (penyerahan {latest}):",
                    f"From: {labels.category_label(before, extract.bands).en} (delivery "
                    f"{previous}); to (delivery {latest}):",
                ),
                "households",
                tuple(columns),
            )
        )
    totals = []
    for after in afters:
        measure, desil = column_total(after)
        value = _margin(stocks, sums, (TOTAL, measure, desil), "after")
        rows.append((TOTAL, measure, desil, value))
        totals.append(Column(desil, measure, labels.category_label(after, extract.bands)))
        relations.append(
            (
                *(
                    cell_key(*matrix_key(before, after))
                    for before in befores
                    if not (before == ABSENT and after == ABSENT)
                ),
                cell_key(measure, desil),
            )
        )
    panels.append(
        Panel(
            Label(f"Jumlah: penyerahan {latest}", f"Total: delivery {latest}"),
            "households",
            tuple(totals),
        )
    )
    # moved up / down (table 11's total row) are sums of cells of the matrix
    for before in cats:
        for kind, higher in ((MOVED_UP, True), (MOVED_DOWN, False)):
            targets = [
                after
                for after in cats
                if after != before and (category_rank(after) > category_rank(before)) == higher
            ]
            if targets:
                relations.append(
                    (
                        *(cell_key(*matrix_key(before, after)) for after in targets),
                        cell_key(kind, before),
                    )
                )
    return Table(
        12,
        "desil_transitions",
        TRANSITIONS_TITLE,
        _cells(rows, history, extract.selection.level.name),
        tuple(panels),
        notes=(
            labels.changes_note(previous, latest),
            Label(
                "Satu baris (seluruh wilayah terpilih). Sel 'desil sama' = desil tetap, 'tidak "
                "ada' = keluar atau masuk (Tabel 11, baris jumlah).",
                "One row (the whole selection). Same-category cells = desil unchanged, 'not in "
                "the delivery' = exited or entered (Table 11, total row).",
            ),
        ),
        row_relations=tuple(relations),
        suppression_domain=DOMAIN,
    )


# -- 14. freshness ----------------------------------------------------------------------------


def freshness_table(extract: Extract) -> Table:
    """14. Households of the latest delivery by months since their last change (bands), by
    region; the total column is the latest delivery's households (table 13)."""
    note = _without_history(extract)
    if note is not None:
        return _empty(14, "freshness", FRESHNESS_TITLE, note)
    history = extract.history
    assert history is not None
    regions = list(history.regions["region_code"])
    bands = [band.code for band in FRESHNESS_BANDS]
    if (history.freshness["band"] == UNKNOWN_BAND).any():
        bands.append(UNKNOWN_BAND)
    grid = _with_region_totals(history.freshness.rename(columns={"band": "column"}), regions, bands)
    cells = stock_cells(extract, history)
    stocks = stock_values(extract, history, cells)
    total_measure, total = cells.of(history.latest.label, TOTAL)
    rows = [(region, FRESHNESS, band, grid[(region, band)]) for region in [*regions, TOTAL]
            for band in bands]  # fmt: skip
    rows += [
        (region, total_measure, total, stocks[(region, total_measure, total)])
        for region in [*regions, TOTAL]
    ]
    return Table(
        14,
        "freshness",
        FRESHNESS_TITLE,
        _cells(rows, history, extract.selection.level.name),
        (
            Panel(
                labels.MEASURES[FRESHNESS],
                "households",
                (
                    *(Column(band, FRESHNESS, labels.FRESHNESS_LABELS[band]) for band in bands),
                    Column(
                        total,
                        total_measure,
                        labels.delivery_label(history.latest.label, history.latest.as_of),
                    ),
                ),
            ),
        ),
        notes=(
            Label(
                f"Penyerahan {history.latest.label}. Bulan sejak perubahan terakhir rumah "
                "tangga (marts.fct_household_freshness); data 24 bulan atau lebih perlu "
                "diverifikasi ulang (aturan CECAD).",
                f"Delivery {history.latest.label}. Months since the household's last change "
                "(marts.fct_household_freshness); records 24 months old or more are due for "
                "re-verification (CECAD's rule).",
            ),
        ),
        row_relations=(
            (*(cell_key(FRESHNESS, band) for band in bands), cell_key(total_measure, total)),
        ),
        suppression_domain=DOMAIN,
    )


HISTORY_TABLES = (changes_table, transitions_table, stocks_table, freshness_table)
