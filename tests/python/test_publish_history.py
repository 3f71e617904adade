"""The publication's tables over the deliveries (11-14) on a small warehouse made here: the
history marts (marts.fct_household_deliveries, fct_household_freshness, dim_delivery,
dim_region) filled from a known list of households. Every expected cell is computed in plain
Python from that list (not with the publication's functions); disclosure control is checked on
the protected tables; one delivery and no history at all are said plainly; the date of the data
comes from marts.dim_delivery."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from scripts.publish.deliveries import current_delivery, read_history
from scripts.publish.edition import Imprint
from scripts.publish.history_tables import HISTORY_TABLES
from scripts.publish.labels import LEVELS, Label
from scripts.publish.model import COUNT, TOTAL, Table, cell_key
from scripts.publish.suppression import protected
from scripts.publish.tidy import published_cells
from scripts.publish.warehouse import Extract, Selection

K = 5
PREVIOUS, LATEST = "2015-07", "2016-01"
KECAMATAN = {"1272010": "DATUK BANDAR", "1272020": "TANJUNG BALAI SELATAN"}
NT = "nt"  # outside the target desil (desil null)
GONE = "gone"  # not in the delivery
RANK = {1: 1, 2: 2, 3: 3, 4: 4, NT: 99}


@dataclass(frozen=True)
class Group:
    """n households of a kecamatan, desil before and after (GONE: not in that delivery)."""

    kecamatan: str
    n: int
    before: int | str
    after: int | str
    status: str = "continuing"
    months: int = 3


GROUPS = [
    Group("1272010", 40, 1, 1, months=30),
    Group("1272010", 12, 1, 2),
    Group("1272010", 3, 2, 1),  # a small cell: suppressed, and a neighbour with it
    Group("1272010", 20, 2, 2, months=14),
    Group("1272010", 8, 3, GONE),
    Group("1272010", 6, GONE, 1, status="new", months=0),
    Group("1272010", 2, 3, 3, status="reregistered"),
    Group("1272010", 7, NT, NT, months=26),
    Group("1272010", 5, 4, NT),
    Group("1272020", 30, 3, 3, months=25),
    Group("1272020", 6, 3, 4),
    Group("1272020", 10, GONE, 4, status="split", months=0),
    Group("1272020", 9, 4, 4),
    Group("1272020", 15, 2, 2, months=12),
    Group("1272020", 1, NT, 2),  # into the target desil from outside: moved down, small
    Group("1272020", 11, 1, 1),
]


def household_rows(groups: list[Group], deliveries: tuple[str, ...]) -> list[tuple]:
    """Rows of marts.fct_household_deliveries (household_key, delivery, as_of_date,
    village_code, district_code, regency_code, desil, is_target_desil, delivery_status,
    predecessor_household_key, previous_delivery) and of fct_household_freshness."""
    rows, freshness = [], []
    number = 0
    for group in groups:
        for _ in range(group.n):
            number += 1
            key = f"hh{number:04d}"
            village = group.kecamatan + "001"
            for delivery, desil in zip(
                deliveries, (group.before, group.after)[-len(deliveries) :], strict=True
            ):
                if desil == GONE:
                    continue
                is_latest = delivery == deliveries[-1]
                reregistered = is_latest and group.status == "reregistered"
                rows.append(
                    (
                        key + ("_new" if reregistered else ""),
                        delivery,
                        date.fromisoformat(delivery + "-01"),
                        village,
                        group.kecamatan,
                        "1272",
                        None if desil == NT else desil,
                        desil != NT,
                        group.status if is_latest else "new",
                        key if reregistered else None,
                        deliveries[0] if is_latest and len(deliveries) > 1 else None,
                    )
                )
                if is_latest:
                    freshness.append((rows[-1][0], group.months))
    return rows, freshness


def make_warehouse(path: Path, groups: list[Group], deliveries: tuple[str, ...]) -> Path:
    rows, freshness = household_rows(groups, deliveries)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.dim_region (village_code varchar, village_name varchar,"
            " district_code varchar, district_name varchar, regency_code varchar,"
            " regency_name varchar, province_code varchar, province_name varchar)"
        )
        for code, name in KECAMATAN.items():
            connection.execute(
                "insert into marts.dim_region values (?, 'DESA', ?, ?, '1272',"
                " 'KOTA TANJUNG BALAI', '12', 'SUMATERA UTARA')",
                [code + "001", code, name],
            )
        connection.execute(
            "create table marts.dim_delivery (delivery varchar, as_of_date date,"
            " loaded_at timestamp, is_current boolean)"
        )
        for delivery in deliveries:
            connection.execute(
                "insert into marts.dim_delivery values (?, ?, now(), ?)",
                [delivery, date.fromisoformat(delivery + "-01"), delivery == deliveries[-1]],
            )
        connection.execute(
            "create table marts.fct_household_deliveries (household_key varchar,"
            " delivery varchar, as_of_date date, village_code varchar, district_code varchar,"
            " regency_code varchar, desil integer, is_target_desil boolean,"
            " delivery_status varchar, predecessor_household_key varchar,"
            " previous_delivery varchar)"
        )
        connection.executemany(
            "insert into marts.fct_household_deliveries values (?,?,?,?,?,?,?,?,?,?,?)", rows
        )
        connection.execute(
            "create table marts.fct_household_freshness (household_key varchar,"
            " months_since_change integer)"
        )
        connection.executemany("insert into marts.fct_household_freshness values (?, ?)", freshness)
    return path


BANDS = {d: Label(f"Desil {d}", f"Decile {d}") for d in (1, 2, 3, 4)}


def dim_household(groups: list[Group]) -> pd.DataFrame:
    """marts.dim_household as the publication reads it (region, desil): the latest delivery."""
    rows = [
        (g.kecamatan, None if g.after == NT else g.after)
        for g in groups
        if g.after != GONE
        for _ in range(g.n)
    ]
    frame = pd.DataFrame(rows, columns=["region_code", "desil"])
    return frame.assign(desil=frame["desil"].astype("Int64"))


def extract_of(
    path: Path, groups: list[Group] | None = None, households: pd.DataFrame | None = None
) -> Extract:
    groups = GROUPS if groups is None else groups
    selection = Selection(LEVELS["kecamatan"], ())
    with duckdb.connect(str(path), read_only=True) as connection:
        history = read_history(
            connection, "district_code", "district_name", lambda column: ("true", [])
        )
        delivery = current_delivery(connection)
    return Extract(
        selection=selection,
        bands=BANDS,
        households=households if households is not None else dim_household(groups),
        members=pd.DataFrame(),
        poverty=pd.DataFrame(),
        covers_the_nation=False,
        delivery=delivery,
        history=history,
    )


def tables_of(
    path: Path, groups: list[Group] | None = None, households: pd.DataFrame | None = None
) -> dict[str, Table]:
    extract = extract_of(path, groups, households)
    return {table.name: table for table in protected([t(extract) for t in HISTORY_TABLES], K)}


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    path = tmp_path_factory.mktemp("history") / "bdt.duckdb"
    return tables_of(make_warehouse(path, GROUPS, (PREVIOUS, LATEST)))


# -- expected cells, in plain Python ------------------------------------------------------------


def category(desil: int | str) -> str:
    return "non_target" if desil == NT else str(desil)


def expected_changes() -> Counter:
    """(region, kind, desil column) -> households, the region and desil being those before
    (after for entered); with the total row and column."""
    cells: Counter = Counter()
    for g in GROUPS:
        if g.before == GONE:
            kind, column = "entered", g.after
        elif g.after == GONE:
            kind, column = "exited", g.before
        elif g.before == g.after:
            kind, column = "unchanged", g.before
        else:
            kind = "moved_up" if RANK[g.after] > RANK[g.before] else "moved_down"
            column = g.before
        kinds = [kind] + (["reregistered"] if g.status == "reregistered" else [])
        for k in kinds:
            for region in (g.kecamatan, TOTAL):
                for col in (category(column), TOTAL):
                    cells[(region, k, col)] += g.n
    return cells


def expected_stocks() -> Counter:
    cells: Counter = Counter()
    for g in GROUPS:
        for delivery, desil in ((PREVIOUS, g.before), (LATEST, g.after)):
            if desil == GONE:
                continue
            for region in (g.kecamatan, TOTAL):
                for col in (category(desil), TOTAL):
                    cells[(region, f"{delivery}:{col}")] += g.n
    return cells


def value_of(table: Table, region: str, measure: str, desil: str) -> pd.Series:
    cells = table.cells
    found = cells[
        (cells["region_code"] == region) & (cells["measure"] == measure) & (cells["desil"] == desil)
    ]
    assert len(found) == 1, (table.name, region, measure, desil)
    return found.iloc[0]


def stock(table: Table, region: str, delivery: str, column: str) -> pd.Series:
    """A delivery's households in a desil category: Table 1's cell (measure households) for the
    latest delivery's target desil, else households_by_delivery <delivery>:<column>."""
    if delivery == LATEST and column in ("1", "2", "3", "4"):
        return value_of(table, region, "households", column)
    return value_of(table, region, "households_by_delivery", f"{delivery}:{column}")


# -- the tables --------------------------------------------------------------------------------


def test_changes_by_region_and_desil_are_the_households_of_each_kind(two) -> None:
    table = two["changes"]
    expected = expected_changes()
    compared = 0
    for region in [*KECAMATAN, TOTAL]:
        for kind in ("entered", "exited", "moved_up", "moved_down", "unchanged", "reregistered"):
            for column in ("1", "2", "3", "4", "non_target", TOTAL):
                cell = value_of(table, region, kind, column)
                if (kind, column) in (("moved_up", "non_target"), ("moved_down", "1")):
                    assert np.isnan(cell["value"])  # cannot happen: not available
                    continue
                assert cell["value"] == expected[(region, kind, column)], (region, kind, column)
                compared += 1
    assert compared == 3 * 6 * 6 - 3 * 2
    # a few cells read by hand from GROUPS
    assert value_of(table, "1272010", "moved_up", "1")["value"] == 12
    assert value_of(table, "1272010", "moved_up", "4")["value"] == 5  # out of the target desil
    assert value_of(table, "1272020", "moved_down", "non_target")["value"] == 1
    assert value_of(table, TOTAL, "entered", TOTAL)["value"] == 16
    assert value_of(table, TOTAL, "reregistered", "3")["value"] == 2


def test_every_household_of_either_delivery_is_counted_once(two) -> None:
    table, stocks = two["changes"], expected_stocks()
    for region in [*KECAMATAN, TOTAL]:
        for column in ("1", "2", "3", "4", "non_target", TOTAL):
            present_before = sum(
                np.nan_to_num(value_of(table, region, kind, column)["value"])
                for kind in ("exited", "moved_up", "moved_down", "unchanged")
            )
            assert present_before == stocks[(region, f"{PREVIOUS}:{column}")], (region, column)


def test_the_transition_matrix_counts_households_by_desil_before_and_after(two) -> None:
    table = two["desil_transitions"]
    assert set(table.cells["region_code"]) == {TOTAL}
    matrix: Counter = Counter()
    for g in GROUPS:
        before = "absent" if g.before == GONE else category(g.before)
        after = "absent" if g.after == GONE else category(g.after)
        matrix[(before, after)] += g.n
    for (before, after), n in matrix.items():
        if before == "absent":
            measure, desil = "entered", after
        elif after == "absent":
            measure, desil = "exited", before
        elif before == after:
            measure, desil = "unchanged", before
        else:
            measure, desil = "moved_between_desil", f"{before}_to_{after}"
        assert value_of(table, TOTAL, measure, desil)["value"] == n, (before, after)
    cells = table.cells
    between = cells[cells["measure"] == "moved_between_desil"]
    assert between["value"].sum() == sum(
        n for (b, a), n in matrix.items() if "absent" not in (b, a) and a != b
    )
    assert len(between) == 5 * 4  # every pair of different categories, zeros included
    stocks = expected_stocks()
    for column in ("1", "2", "3", "4", "non_target"):
        previous = stock(table, TOTAL, PREVIOUS, column)
        latest = stock(table, TOTAL, LATEST, column)
        assert previous["value"] == stocks[(TOTAL, f"{PREVIOUS}:{column}")]
        assert latest["value"] == stocks[(TOTAL, f"{LATEST}:{column}")]


def test_households_by_desil_in_every_delivery(two) -> None:
    table, stocks = two["households_by_delivery"], expected_stocks()
    for region in [*KECAMATAN, TOTAL]:
        for delivery in (PREVIOUS, LATEST):
            for column in ("1", "2", "3", "4", "non_target", TOTAL):
                key = f"{delivery}:{column}"
                cell = stock(table, region, delivery, column)
                assert cell["value"] == stocks[(region, key)], (region, key)
    assert stocks[(TOTAL, f"{LATEST}:{TOTAL}")] == sum(g.n for g in GROUPS if g.after != GONE)


def test_freshness_bands_by_region(two) -> None:
    table = two["freshness"]
    expected: Counter = Counter()
    for g in GROUPS:
        if g.after == GONE:
            continue
        band = "0_11" if g.months <= 11 else "12_23" if g.months <= 23 else "24_plus"
        for region in (g.kecamatan, TOTAL):
            expected[(region, band)] += g.n
    for region in [*KECAMATAN, TOTAL]:
        for band in ("0_11", "12_23", "24_plus"):
            cell = value_of(table, region, "households_by_months_since_change", band)
            assert cell["value"] == expected[(region, band)], (region, band)
    assert value_of(table, TOTAL, "households_by_months_since_change", "24_plus")["value"] == (
        40 + 7 + 30
    )


# -- disclosure control ------------------------------------------------------------------------


def test_small_counts_are_suppressed_and_no_line_holds_one_suppressed_cell(two) -> None:
    tables = list(two.values())
    counts = pd.concat([t.cells[t.cells["kind"] == COUNT] for t in tables])
    small = counts[counts["value"].notna() & (counts["value"] < K)]
    assert len(small) > 10 and small["suppressed"].all()
    # the published CSV cells hide them
    for table in tables:
        shown = published_cells(table)
        hidden = shown[table.cells["suppressed"].to_numpy()]
        assert hidden["value"].isna().all()
    # one grid of every cell of the four tables (the same key is the same cell)
    counts = counts.assign(
        key=[cell_key(m, d) for m, d in zip(counts["measure"], counts["desil"], strict=True)]
    )
    assert not counts.duplicated(["region_code", "key"], keep=False).pipe(
        lambda duplicated: (
            counts[duplicated].groupby(["region_code", "key"])["value"].nunique(dropna=False) > 1
        ).any()
    )
    grid = counts.drop_duplicates(["region_code", "key"]).pivot(
        index="region_code", columns="key", values="suppressed"
    )
    values = counts.drop_duplicates(["region_code", "key"]).pivot(
        index="region_code", columns="key", values="value"
    )
    lines = [relation for table in tables for relation in table.row_relations]
    assert len(lines) > 20
    for region in grid.index:
        for line in lines:
            present = [key for key in line if pd.notna(values.at[region, key])]
            if len(present) < 2:  # the matrix's lines hold on the total row only
                continue
            hidden = [key for key in present if grid.at[region, key] is True]
            assert len(hidden) != 1, (region, line, hidden)
    for key in grid.columns:
        present = values[key].notna()
        if present.sum() < 2:  # a cell of the matrix (total row only) is no column line
            continue
        assert int(grid.loc[present, key].astype(bool).sum()) != 1, key


def test_a_small_cell_takes_a_neighbour_with_it(two) -> None:
    table = two["changes"]
    assert value_of(table, "1272010", "moved_down", "2")["suppressed"]  # 3 households
    row = table.cells[
        (table.cells["region_code"] == "1272010")
        & (table.cells["measure"] == "moved_down")
        & table.cells["value"].notna()
    ]
    assert row["suppressed"].sum() >= 2
    # cells nothing forces out stay: the latest delivery's households, the freshness bands
    stocks = two["households_by_delivery"]
    assert not stock(stocks, TOTAL, LATEST, TOTAL)["suppressed"]
    assert not two["freshness"].cells["suppressed"].any()


# -- one delivery, no history, the date of the data --------------------------------------------


def test_one_delivery_says_so_instead_of_changes(tmp_path: Path) -> None:
    only = [Group(g.kecamatan, g.n, g.after, g.after) for g in GROUPS if g.after != GONE]
    tables = tables_of(make_warehouse(tmp_path / "one.duckdb", only, (LATEST,)), only)
    for name in ("changes", "desil_transitions"):
        assert tables[name].cells.empty
        assert any("one delivery only (2016-01)" in note.en for note in tables[name].notes)
        assert any("satu penyerahan (2016-01)" in note.id for note in tables[name].notes)
    stocks = tables["households_by_delivery"]
    assert stock(stocks, TOTAL, LATEST, TOTAL)["value"] == sum(g.n for g in only)
    assert stock(stocks, TOTAL, LATEST, "3")["value"] == sum(g.n for g in only if g.after == 3)


def test_no_history_marts_leave_the_tables_empty_with_a_note(tmp_path: Path) -> None:
    path = make_warehouse(tmp_path / "old.duckdb", GROUPS, (PREVIOUS, LATEST))
    with duckdb.connect(str(path)) as connection:
        connection.execute("drop table marts.fct_household_freshness")
    tables = tables_of(path)
    for table in tables.values():
        assert table.cells.empty
        assert "no delivery history" in table.notes[0].en


def imprint_of(delivery: str, as_of: date) -> Imprint:
    """The imprint of a test publication of the delivery `delivery` (as of `as_of`)."""
    return Imprint(
        selection=Label("Wilayah: uji", "Regions: test"),
        level=LEVELS["kecamatan"].label,
        bands=BANDS,
        k=K,
        small_base=30,
        warehouse="bdt.duckdb",
        built=date(2026, 1, 2),
        published=date(2026, 1, 3),
        delivery=delivery,
        as_of=as_of,
    )


def test_the_date_of_the_data_is_the_current_delivery(tmp_path: Path) -> None:
    path = make_warehouse(tmp_path / "dated.duckdb", GROUPS, (PREVIOUS, LATEST))
    extract = extract_of(path)
    assert (extract.delivery.label, extract.delivery.as_of) == (LATEST, date(2016, 1, 1))
    imprint = imprint_of(extract.delivery.label, extract.delivery.as_of)
    assert "1 Januari 2016" in imprint.dates.id and "2016-01" in imprint.dates.id
    assert "1 January 2016" in imprint.dates.en
    assert "2015" not in imprint.dates.en
    with duckdb.connect(str(path)) as connection:  # the current row, not the latest date
        connection.execute("update marts.dim_delivery set is_current = (delivery = ?)", [PREVIOUS])
        assert current_delivery(connection).as_of == date(2015, 7, 1)


def test_the_workbook_and_the_chart_show_the_tables_over_the_deliveries(two, tmp_path) -> None:
    from openpyxl import load_workbook
    from PIL import Image

    from scripts.publish import charts, excel
    from scripts.publish.edition import ENGLISH

    imprint = imprint_of(LATEST, date(2016, 1, 1))
    tables = list(two.values())
    path = excel.written_workbook(tables, tmp_path / "t.xlsx", edition=ENGLISH, imprint=imprint)
    workbook = load_workbook(path, read_only=True)
    sheet = workbook[two["desil_transitions"].sheet_name]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    workbook.close()
    assert "x" in texts  # suppressed cells
    assert any("From: Decile 1" in text for text in texts)
    hidden = two["desil_transitions"].cells
    shown = hidden[~hidden["suppressed"]]
    assert {int(v) for v in shown["value"]} <= {int(float(t)) for t in texts if t.isdigit()}
    chart = charts.desil_over_deliveries_chart(
        two["households_by_delivery"], tmp_path / "charts", ENGLISH, imprint
    )
    assert chart is not None and chart.table_number == 13
    with Image.open(chart.path) as png:
        assert "1 January 2016" in png.text["Description"]
        assert png.text["Title"].startswith("Households by desil in every delivery")


def test_the_latest_delivery_is_table_1s_cells_when_they_agree(two, tmp_path: Path) -> None:
    stocks = two["households_by_delivery"]
    assert set(stocks.cells["measure"]) == {"households", "households_by_delivery"}
    shared = stocks.cells[stocks.cells["measure"] == "households"]
    assert set(shared["desil"]) == {"1", "2", "3", "4"}  # Table 1's keys: protected once
    assert any("are Table 1's" in note.en for note in stocks.notes)
    # a dim_household that disagrees: the cells stay apart, and the table says so
    path = make_warehouse(tmp_path / "apart.duckdb", GROUPS, (PREVIOUS, LATEST))
    other = dim_household(GROUPS).iloc[1:]
    apart = tables_of(path, GROUPS, other)["households_by_delivery"]
    assert set(apart.cells["measure"]) == {"households_by_delivery"}
    assert any("differ from Table 1" in note.en for note in apart.notes)
    assert stock(two["desil_transitions"], TOTAL, LATEST, "2")["value"] == sum(
        g.n for g in GROUPS if g.after == 2
    )
