"""The semantic layer (models/marts/semantic/): MetricFlow accepts the semantic models and
metrics against a built warehouse, and `mf query` returns the numbers the publication printed
for the same cells: one definition of each indicator, two readers (scripts/publish and any BI
tool asking MetricFlow)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from scripts.contract import PROJECT_DIR
from scripts.publish.deliveries import NON_TARGET
from scripts.publish.history_tables import STOCK, stock_key
from scripts.publish.model import ALL, TOTAL
from scripts.publish.pipeline import Publication
from scripts.publish.tidy import decimals_of
from tests.python.warehouse import Warehouse

MF = Path(sys.executable).parent / "mf"
# What `mf` needs of a dbt project root: the project (dbt debug loads it) and
# target/semantic_manifest.json, which it reads there and nowhere else.
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses")
CELL_KEY = ["region_code", "desil", "measure"]
REGION = "region__district_code"  # the publication fixture's rows are kecamatan
# The same dimension reached from household_asset, through the household (two joins).
ASSET_REGION = "household__region__district_code"
DESIL = "household__desil"
# The metric -> the publication's measure code of the same indicator.
MEASURES = {
    "households": "households",
    "individuals": "individuals",
    "mean_household_size": "mean_household_size",
    "share_receiving_pkh": "receives_pkh",
    "coverage_pkh": "coverage_pkh",
    "undercoverage_pkh": "undercoverage_pkh",
    "coverage_kis_pbi": "coverage_kis_pbi",
    "leakage_bdt_pkh": "leakage_bdt_pkh",
    "leakage_bdt_rastra_bpnt": "leakage_bdt_rastra_bpnt",
    "leakage_non_bdt_pkh": "leakage_non_bdt_pkh",
    "share_owns_refrigerator": "owns_refrigerator",
    "share_owns_motorcycle": "owns_motorcycle",
    "share_earth_floor": "earth_floor",
    "share_crowded_floor_area": "crowded_floor_area",
    "share_disabled_or_ill_member": "disabled_or_ill_member",
    "own_business_members": "own_business_members",
    "family_planning_use_15_49": "family_planning_use_15_49",
    "birth_certificate_0_17": "birth_certificate_0_17",
    "share_owns_mobile_phone": "owns_mobile_phone",
}
# Metrics published in one desil column only: coverage in desil 1's, leakage over every desil.
FIXED_DESIL = {
    "coverage_pkh": "1",
    "undercoverage_pkh": "1",
    "coverage_kis_pbi": "1",
    "leakage_bdt_pkh": ALL,
    "leakage_bdt_rastra_bpnt": ALL,
    "leakage_non_bdt_pkh": ALL,
}
BY_DESIL = (
    "households",
    "individuals",
    "mean_household_size",
    "share_receiving_pkh",
    "share_earth_floor",
    "share_crowded_floor_area",
    "share_disabled_or_ill_member",
    "own_business_members",
    "family_planning_use_15_49",
    "birth_certificate_0_17",
)
TARGETING = (
    "households",
    "individuals",
    *(metric for metric in MEASURES if metric in FIXED_DESIL),
)
ASSETS = ("share_owns_refrigerator", "share_owns_motorcycle", "share_owns_mobile_phone")


@dataclass(frozen=True)
class SemanticProject:
    """A dbt project root for `mf` on a built warehouse (target bi, read-only)."""

    root: Path
    env: dict[str, str]

    def mf(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(MF), *args],
            cwd=self.root, env=self.env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    def query(self, metrics: tuple[str, ...], group_by: tuple[str, ...] = ()) -> pd.DataFrame:
        """`mf query` of the metrics by the dimensions, read from its --csv output."""
        out = self.root / f"query_{len(list(self.root.glob('query_*.csv')))}.csv"
        args = ["query", "--metrics", ",".join(metrics), "--csv", str(out), "--quiet"]
        if group_by:
            args += ["--group-by", ",".join(group_by)]
        run = self.mf(*args)
        assert run.returncode == 0, f"mf {' '.join(args)}:\n{run.stdout[-3000:]}{run.stderr}"
        return pd.read_csv(out, dtype={name: str for name in group_by})


@pytest.fixture(scope="module")
def semantic_project(
    publication_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> SemanticProject:
    """The project linked into a folder of its own, with the semantic manifest that the build
    of publication_warehouse wrote (as `make build` writes target/semantic_manifest.json)."""
    root = tmp_path_factory.mktemp("semantic_project")
    for name in PROJECT_ENTRIES:
        (root / name).symlink_to(PROJECT_DIR / name)
    (root / "target").mkdir()
    shutil.copy(
        publication_warehouse.folder / "target" / "semantic_manifest.json",
        root / "target" / "semantic_manifest.json",
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_DIR),
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_PROJECT_DIR": str(root),
        "DBT_TARGET": "bi",
        "BDT_WAREHOUSE_DIR": str(publication_warehouse.folder),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }
    return SemanticProject(root, env)


@pytest.fixture(scope="module")
def published(out_dir: Path) -> pd.DataFrame:
    """Every cell of the published tidy CSV files (tables/NN_*.csv), once per key (a count
    two tables show is one cell): value blank where suppressed."""
    frames = [
        pd.read_csv(
            path,
            dtype={"region_code": str, "desil": str},
            keep_default_na=False,
            na_values={"value": [""]},
        )
        for path in sorted((out_dir / "tables").glob("[0-9][0-9]_*.csv"))
    ]
    cells = pd.concat(frames, ignore_index=True)
    return cells.drop_duplicates(CELL_KEY)[[*CELL_KEY, "value", "suppressed"]]


@pytest.fixture(scope="module")
def unrounded(publication: Publication) -> pd.DataFrame:
    """The publication's cells before rounding (the tables as computed), once per key."""
    cells = pd.concat([table.cells for table in publication.tables], ignore_index=True)
    return cells.drop_duplicates(CELL_KEY)[[*CELL_KEY, "value", "kind"]]


def semantic_cells(frame: pd.DataFrame, group_by: tuple[str, ...]) -> pd.DataFrame:
    """The cells of an `mf query` frame, keyed as the publication's: the region's code or the
    total row, the desil (or the total column, or the metric's fixed column), the measure."""
    metrics = [column for column in frame.columns if column in MEASURES]
    long = frame.melt(id_vars=list(group_by), value_vars=metrics, var_name="metric")
    regions = [name for name in group_by if name in (REGION, ASSET_REGION)]
    region = long[regions[0]] if regions else TOTAL
    desil = long[DESIL].astype(str) if DESIL in group_by else TOTAL
    return pd.DataFrame(
        {
            "region_code": region,
            "desil": [
                FIXED_DESIL.get(metric, cell)
                for metric, cell in zip(long["metric"], desil, strict=True)
            ]
            if DESIL in group_by
            else long["metric"].map(lambda metric: FIXED_DESIL.get(metric, TOTAL)),
            "measure": long["metric"].map(MEASURES),
            "semantic": long["value"].astype(float),
        }
    )


def compared(
    semantic: pd.DataFrame, published: pd.DataFrame, unrounded: pd.DataFrame
) -> pd.DataFrame:
    """Each semantic cell beside the published value (blank: suppressed) and the unrounded one;
    every semantic cell is a cell of the publication."""
    merged = semantic.merge(published, on=CELL_KEY, how="left", validate="one_to_one").merge(
        unrounded, on=CELL_KEY, how="left", suffixes=("", "_unrounded"), validate="one_to_one"
    )
    missing = merged[merged["suppressed"].isna()]
    assert missing.empty, f"cells the publication does not have:\n{missing.head()}"
    return merged


def assert_same_numbers(cells: pd.DataFrame, metrics: tuple[str, ...]) -> None:
    """Where the publication shows a value, MetricFlow's equals it unrounded and rounded as
    published; at least one shown cell of each metric was compared."""
    shown = cells[cells["value"].notna()]
    for metric in metrics:
        measure = MEASURES[metric]
        mine = shown[shown["measure"] == measure]
        assert not mine.empty, f"{metric}: no published cell shown to compare"
        assert list(mine["semantic"]) == pytest.approx(list(mine["value_unrounded"]), rel=1e-9), (
            f"{metric}: mf query differs from the publication's computed values:\n{mine}"
        )
        decimals = decimals_of(measure, str(mine["kind"].iloc[0]))
        tolerance = 0.5 * 10**-decimals + 1e-9
        assert ((mine["semantic"] - mine["value"]).abs() <= tolerance).all(), (
            f"{metric}: mf query differs from the published (rounded) values:\n{mine}"
        )


def test_mf_validate_configs_accepts_the_semantic_layer_on_the_warehouse(
    semantic_project: SemanticProject,
):
    run = semantic_project.mf("validate-configs")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    # the semantic validations and those against the warehouse (every measure, dimension and
    # metric queried) both ran and found nothing
    assert "Successfully validated the semantics of built manifest (ERRORS: 0" in output, output
    assert "validated semantic models against data warehouse (ERRORS: 0" in output, output
    assert "validated metrics against data warehouse (ERRORS: 0" in output, output


@pytest.mark.parametrize(
    "group_by",
    [(REGION, DESIL), (DESIL,), (REGION,), ()],
    ids=["region_x_desil", "total_row", "total_column", "grand_total"],
)
def test_mf_query_gives_the_published_household_cells(
    semantic_project: SemanticProject,
    published: pd.DataFrame,
    unrounded: pd.DataFrame,
    group_by: tuple[str, ...],
):
    metrics = BY_DESIL if DESIL in group_by else tuple(dict.fromkeys((*BY_DESIL, *TARGETING)))
    frame = semantic_project.query(metrics, group_by)
    cells = compared(semantic_cells(frame, group_by), published, unrounded)
    assert_same_numbers(cells, metrics)
    if group_by == (REGION, DESIL):
        # the other way round: every region x desil with households shown has its mf row
        households = published[
            (published["measure"] == "households")
            & (published["region_code"] != TOTAL)
            & (published["desil"] != TOTAL)
            & (published["value"] > 0)
        ]
        got = cells[cells["measure"] == "households"]
        assert set(zip(households["region_code"], households["desil"], strict=True)) <= set(
            zip(got["region_code"], got["desil"], strict=True)
        )


@pytest.mark.parametrize(
    "group_by",
    [(ASSET_REGION, DESIL), (ASSET_REGION,), (DESIL,), ()],
    ids=["region_x_desil", "total_column", "total_row", "grand_total"],
)
def test_mf_query_gives_the_published_asset_shares(
    semantic_project: SemanticProject,
    published: pd.DataFrame,
    unrounded: pd.DataFrame,
    group_by: tuple[str, ...],
):
    frame = semantic_project.query(ASSETS, group_by)
    assert_same_numbers(compared(semantic_cells(frame, group_by), published, unrounded), ASSETS)


def test_mf_query_gives_the_published_households_of_each_delivery(
    semantic_project: SemanticProject, published: pd.DataFrame
):
    """households_by_delivery by delivery, and by delivery and its desil in that delivery
    (Table 13, total row): each delivery's total, and every desil category shown."""
    delivery = "household_delivery__delivery"
    totals = semantic_project.query(("households_by_delivery",), (delivery,))
    by_desil = semantic_project.query(
        ("households_by_delivery",), (delivery, "household_delivery__desil")
    )
    shown = published[(published["region_code"] == TOTAL) & published["value"].notna()]
    values = {
        (measure, desil): value
        for desil, measure, value in zip(
            shown["desil"], shown["measure"], shown["value"], strict=True
        )
    }
    latest = max(totals[delivery])
    for label, count in zip(totals[delivery], totals["households_by_delivery"], strict=True):
        assert values[(STOCK, stock_key(label, TOTAL))] == count, label
    compared_cells = 0
    for label, desil, count in by_desil.itertuples(index=False):
        category = NON_TARGET if pd.isna(desil) else str(desil)
        value = values.get((STOCK, stock_key(label, category)))
        if value is None and label == latest:
            # the latest delivery's target desil are Table 1's households cells
            value = values.get(("households", category))
        if value is not None:
            assert count == value, f"delivery {label}, {category}: mf {count}, published {value}"
            compared_cells += 1
    assert compared_cells, "no desil category of a delivery was compared"


# dim_household's receipt flag of each program, and the programs of fct_program_spells it joins.
RECEIPT_FLAGS = {
    "receives_pkh": ("PKH",),
    "receives_kks": ("KKS",),
    "receives_kis_pbi": ("KIS_PBI",),
    "receives_kip": ("KIP",),
    "receives_rastra_bpnt": ("RASTRA", "BPNT"),
}


def test_households_with_a_program_spell_are_the_households_receiving_it(
    semantic_project: SemanticProject, publication_warehouse: Warehouse
):
    """By program: households_with_program_spell (the spells) equals the households whose
    receipt flag is set in dim_household, counted here in DuckDB."""
    with publication_warehouse.connect() as connection:
        flagged = dict(
            zip(
                RECEIPT_FLAGS,
                connection.execute(
                    "select "
                    + ", ".join(f"count(*) filter (where {flag})" for flag in RECEIPT_FLAGS)
                    + " from marts.dim_household"
                ).fetchone(),
                strict=True,
            )
        )
    code = "program_spell__program_code"
    by_program = semantic_project.query(("households_with_program_spell",), (code,))
    spells = dict(zip(by_program[code], by_program["households_with_program_spell"], strict=True))
    for flag, (program, *others) in RECEIPT_FLAGS.items():
        if not others:
            assert spells.get(program, 0) == flagged[flag], flag
    assert all(flagged.values())
    codes = ", ".join(f"'{program}'" for program in RECEIPT_FLAGS["receives_rastra_bpnt"])
    run = semantic_project.mf(
        "query", "--metrics", "households_with_program_spell", "--quiet",
        "--where", "{{ Dimension('" + code + "') }} in (" + codes + ")",
        "--csv", str(semantic_project.root / "rastra_bpnt.csv"),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    union = pd.read_csv(semantic_project.root / "rastra_bpnt.csv")
    assert union["households_with_program_spell"].iloc[0] == flagged["receives_rastra_bpnt"]
