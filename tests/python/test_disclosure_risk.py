"""quality.dq_disclosure_risk (k-anonymity of the BI microdata) against an independent
computation from the marts' row-level tables in plain Python and pandas, on the sample; the
README quotes the sample's figures of the model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

import pandas as pd
import pytest

from scripts.contract import PROJECT_DIR
from tests.python.warehouse import Warehouse

SETS = ("household_profile", "members_sex_age")
UNITS = {"household": "households", "person": "persons"}
K_BELOW = (3, 5)
COUNT_COLUMNS = ["class_count", "total_count", "unique_count"] + [
    f"k_below_{k}_count" for k in K_BELOW
]
SHARE_COLUMNS = ["unique_share"] + [f"k_below_{k}_share" for k in K_BELOW]
MODEL_COLUMNS = [
    "quasi_identifier_set",
    "region_level",
    "region_code",
    "region_name",
    "unit",
    "class_count",
    "total_count",
    "unique_count",
    "unique_share",
    "k_below_3_count",
    "k_below_3_share",
    "k_below_5_count",
    "k_below_5_share",
]
KEYS = ["quasi_identifier_set", "region_level", "region_code", "unit"]


def households_with_k(warehouse: Warehouse) -> pd.DataFrame:
    """One row per BDT household: its village, kecamatan, kabupaten, members, and its key and k
    on each quasi-identifier set (None is a value of its own: fetched as Python objects)."""
    with warehouse.connect() as connection:
        households = connection.execute(
            "select household_key, village_code, sls_name, member_count, head_sex_code, head_age"
            " from marts.dim_household where household_source = 'BDT'"
        ).fetchall()
        members = connection.execute(
            "select household_key, sex_code, age_years from marts.dim_individual"
        ).fetchall()
        regions = connection.execute(
            "select village_code, district_code, district_name, regency_code, regency_name"
            " from marts.dim_region"
        ).fetchall()
    sex_ages: dict[object, Counter] = {}
    for household_key, sex, age in members:
        sex_ages.setdefault(household_key, Counter())[(sex, age)] += 1
    rows = []
    for household_key, village, sls, size, head_sex, head_age in households:
        profile = frozenset(sex_ages.get(household_key, Counter()).items())
        rows.append(
            {
                "village_code": village,
                "persons": size,
                "household_profile": (village, sls, size, head_sex, head_age),
                "members_sex_age": (village, profile),
            }
        )
    frame = pd.DataFrame(rows)
    assert sum(sum(c.values()) for c in sex_ages.values()) == frame["persons"].sum()
    for name in SETS:
        sizes: Counter[Hashable] = Counter(frame[name])
        frame[f"{name}_k"] = [sizes[key] for key in frame[name]]
    region_frame = pd.DataFrame(
        regions,
        columns=["village_code", "district_code", "district_name", "regency_code", "regency_name"],
    )
    return frame.merge(region_frame, on="village_code", how="left", validate="many_to_one")


def expected_rows(frame: pd.DataFrame) -> pd.DataFrame:
    levels = {
        "total": (None, None),
        "kabupaten": ("regency_code", "regency_name"),
        "kecamatan": ("district_code", "district_name"),
    }
    rows = []
    for name in SETS:
        for level, (code_column, name_column) in levels.items():
            if code_column is None:
                groups = [(("total", "Total"), frame)]
            else:
                groups = list(frame.groupby([code_column, name_column]))
            for (code, region_name), households in groups:
                k = households[f"{name}_k"]
                for unit, weight in (("household", 1), ("person", households["persons"])):
                    counted = pd.Series(weight, index=households.index)
                    total = int(counted.sum())
                    row = {
                        "quasi_identifier_set": name,
                        "region_level": level,
                        "region_code": code,
                        "region_name": region_name,
                        "unit": unit,
                        "class_count": households[name].nunique(),
                        "total_count": total,
                        "unique_count": int(counted[k == 1].sum()),
                    }
                    for below in K_BELOW:
                        row[f"k_below_{below}_count"] = int(counted[k < below].sum())
                    for count, share in zip(COUNT_COLUMNS[2:], SHARE_COLUMNS, strict=True):
                        row[share] = row[count] / total if total else None
                    rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def model_rows(sample_warehouse: Warehouse) -> pd.DataFrame:
    with sample_warehouse.connect() as connection:
        return connection.execute("select * from quality.dq_disclosure_risk").df()


def test_the_model_equals_an_independent_count(
    sample_warehouse: Warehouse, model_rows: pd.DataFrame
) -> None:
    assert list(model_rows.columns) == MODEL_COLUMNS, "the model holds only aggregates"
    expected = expected_rows(households_with_k(sample_warehouse))
    assert len(expected) == 2 * 2 * (1 + 1 + 6)  # sets x units x (total, Tanjung Balai, kecamatan)
    assert not model_rows.duplicated(KEYS).any()
    merged = expected.merge(
        model_rows, on=KEYS, how="outer", suffixes=("", "_model"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][KEYS]
    assert (merged["region_name"] == merged["region_name_model"]).all()
    for column in COUNT_COLUMNS:
        differ = merged[merged[column] != merged[f"{column}_model"]]
        assert differ.empty, f"{column} differs:\n{differ[[*KEYS, column, column + '_model']]}"
    for column in SHARE_COLUMNS:
        assert list(merged[column]) == pytest.approx(list(merged[f"{column}_model"]), rel=1e-12)
    # The sample is far from anonymous on both sets (the reason the BI tier is restricted).
    totals = model_rows[
        (model_rows["region_level"] == "total") & (model_rows["unit"] == "household")
    ]
    assert (totals["unique_share"] > 0.5).all()


def readme_figures(model_rows: pd.DataFrame) -> str:
    """The README's table of the sample's figures, as the model gives them."""
    labels = {"household_profile": "A household profile", "members_sex_age": "B members' sex-age"}
    totals = model_rows[model_rows["region_level"] == "total"].set_index(
        ["quasi_identifier_set", "unit"]
    )
    lines = [
        "| quasi-identifier set | unit | total | k = 1 (unique) | k < 3 | k < 5 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, label in labels.items():
        for unit, plural in UNITS.items():
            row = totals.loc[(name, unit)]
            cells = [
                f"{int(row[count]):,} ({row[share]:.2%})"
                for count, share in zip(COUNT_COLUMNS[2:], SHARE_COLUMNS, strict=True)
            ]
            lines.append(
                f"| {label} | {plural} | {int(row['total_count']):,} | {' | '.join(cells)} |"
            )
    return "\n".join(lines)


def test_readme_quotes_the_sample_figures_of_the_model(model_rows: pd.DataFrame) -> None:
    table = readme_figures(model_rows)
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert table in readme, f"README: update the sample's disclosure risk figures to\n{table}"
