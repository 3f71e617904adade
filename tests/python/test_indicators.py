"""The household indicators of marts.dim_household (int_households__indicators) and the program
years of marts.fct_program_years, against an independent computation from the raw files of the
publication tests' set (the raw registry of test_publish, with the documented rules)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scripts.contract import PROJECT_DIR
from tests.python.test_publish import RawRegistry, code, number, read_raw
from tests.python.warehouse import Warehouse, pseudonym

# The documented rules (models/docs/indicators.md), written out here as the independent side.
YES_CODES = {
    "has_earth_floor": ("lantai", [9]),
    "has_bamboo_or_wood_walls": ("dinding", [3, 4, 5, 6]),
    "lacks_pln_electricity": ("sumber_penerangan", [2, 3]),
    "has_unimproved_water": ("sumber_airminum", [7, 9, 10, 11, 12]),
    "lacks_own_toilet": ("fasbab", [2, 3, 4]),
    "cooks_with_firewood": ("bb_masak", [8]),
}
SECTOR_GROUPS = {"agriculture": (1, 7), "industry": (8, 11), "services": (12, 21)}
FLAGS = [*YES_CODES, "is_crowded", "has_disabled_or_ill_member", "is_leakage_target_desil"]


@pytest.fixture(scope="module")
def registry(generated_for_publication: Path) -> RawRegistry:
    return RawRegistry(generated_for_publication)


def known_where(answer: pd.Series, known: pd.Series) -> pd.Series:
    """A nullable boolean: `answer` where `known`, else NA."""
    return answer.astype("boolean").mask(~known.astype(bool))


def expected_indicators(registry: RawRegistry, secret: str) -> pd.DataFrame:
    """The indicators of every BDT household from the raw files, indexed by the hex of its key."""
    households = registry.households
    columns: dict[str, pd.Series] = {}
    for name, (variable, yes) in YES_CODES.items():
        values = code(households, variable)
        columns[name] = known_where(values.isin(yes), values.notna())
    area = households["area_per_person"]
    columns["is_crowded"] = known_where(area < 8, area.notna())
    any_member = (households["disabled"] > 0) | (households["ill"] > 0)
    columns["has_disabled_or_ill_member"] = known_where(
        any_member, any_member | (households["health_unknown"] == 0)
    )
    columns["is_leakage_target_desil"] = households["desil"].isin([1, 2]).astype("boolean")
    sector, worked = households["head_sector"], households["head_worked"] == 1
    columns["head_sector_group"] = pd.Series(
        np.select(
            [worked & sector.between(low, high) for low, high in SECTOR_GROUPS.values()],
            list(SECTOR_GROUPS),
            default="",
        ),
        index=households.index,
    ).replace("", None)
    keys = households["idbdt"].map(lambda idbdt: pseudonym(secret, "rt", idbdt))
    return pd.DataFrame(columns).set_index(pd.Index(keys, name="key"))


def mart_indicators(warehouse: Warehouse) -> pd.DataFrame:
    """The same columns of marts.dim_household's BDT households."""
    with warehouse.connect() as connection:
        frame = connection.execute(
            "select replace(cast(household_key as varchar), '-', '') as key, head_sector_group, "
            + ", ".join(FLAGS)
            + " from marts.dim_household where household_source = 'BDT'"
        ).fetchdf()
    return frame.set_index("key").astype({flag: "boolean" for flag in FLAGS})


def test_dim_household_indicators_equal_the_raw_files(
    registry: RawRegistry, publication_warehouse: Warehouse
) -> None:
    expected = expected_indicators(registry, publication_warehouse.secret)
    actual = mart_indicators(publication_warehouse)
    assert set(actual.index) == set(expected.index)
    actual = actual.reindex(expected.index)
    for flag in FLAGS:
        pd.testing.assert_series_equal(actual[flag], expected[flag], check_names=False, obj=flag)
        # the set exercises both answers of every flag
        assert expected[flag].any() and not expected[flag].fillna(True).all(), flag
    assert expected[FLAGS].isna().any().sum() >= 3, "the test set should have unknown answers"
    groups = actual["head_sector_group"].where(actual["head_sector_group"].notna(), None)
    assert groups.tolist() == expected["head_sector_group"].tolist()
    assert set(expected["head_sector_group"].dropna()) == set(SECTOR_GROUPS)


def test_indicator_shares_by_desil_equal_the_raw_files(
    registry: RawRegistry, publication_warehouse: Warehouse
) -> None:
    """Shares among the known answers per desil, summed in SQL on the mart and in pandas from
    the raw files: what a BI tool computes from the columns is the raw files' figure."""
    flags = ["has_earth_floor", "has_unimproved_water", "is_crowded", "has_disabled_or_ill_member"]
    with publication_warehouse.connect() as connection:
        mart = connection.execute(
            "select desil, "
            + ", ".join(f"count(case when {f} then 1 end) / count({f}) as {f}" for f in flags)
            + ", count(case when head_sector_group = 'services' then 1 end)"
            " / count(head_sector_group) as services"
            " from marts.dim_household where desil is not null group by desil order by desil"
        ).fetchdf()
    expected = expected_indicators(registry, publication_warehouse.secret)
    expected["desil"] = registry.households["desil"].to_numpy()
    expected = expected[expected["desil"].notna()]
    by_desil = expected.groupby("desil")
    raw = pd.DataFrame(
        {flag: by_desil[flag].sum() / by_desil[flag].count() for flag in flags}
        | {
            "services": by_desil["head_sector_group"].apply(
                lambda groups: (groups == "services").sum() / groups.notna().sum()
            )
        }
    )
    assert mart["desil"].tolist() == [1, 2, 3, 4]
    for column in [*flags, "services"]:
        assert np.allclose(mart[column], raw[column].to_numpy(dtype=float), atol=1e-12), column


def test_pkh_non_bdt_households_have_no_indicators(publication_warehouse: Warehouse) -> None:
    with publication_warehouse.connect() as connection:
        rows = connection.execute(
            "select count(*), count(head_sector_group), count(case when is_leakage_target_desil"
            " then 1 end), "
            + ", ".join(f"count({flag})" for flag in FLAGS if flag != "is_leakage_target_desil")
            + " from marts.dim_household where household_source = 'PKH non-BDT'"
        ).fetchone()
    families, *known = rows
    assert families > 0
    assert known == [0] * len(known)


# -- program years ------------------------------------------------------------------------------

PKH_FLAGS = {2015: ["sta_pkh"], 2016: ["sta_pkh", "adapkh"], 2017: ["adapkh"]}


def known_villages() -> set[str]:
    with (PROJECT_DIR / "seeds" / "bps_regions_tanjungbalai.csv").open(encoding="utf-8") as f:
        return {row["bps_code"] for row in csv.DictReader(f) if row["level"] == "desa"}


def pkh_payment_rows(registry: RawRegistry, secret: str) -> pd.DataFrame:
    """The raw PKH payment rows that reach the marts (an IDPKH, a year and stage 1-4, the first
    row of a family and stage, a family matched to the BDT or in a known desa), with the key of
    the household each counts for: the matched BDT household, else the family itself."""
    rows = read_raw(registry.raw_dir, "pkh")
    rows = rows.assign(year=number(rows["tahun"]), stage=number(rows["tahap"]))
    rows = rows[rows["idpkh"].notna() & rows["year"].between(2000, 2100)]
    rows = rows[rows["stage"].between(1, 4)].drop_duplicates(["idpkh", "year", "stage"])
    families = registry.pkh_families
    families = families[families.index.notna()]
    households = families["matched"].map(
        lambda idbdt: pseudonym(secret, "rt", idbdt), na_action="ignore"
    )
    own = families.index.to_series().map(lambda idpkh: pseudonym(secret, "pkh", idpkh))
    appended = families["matched"].isna() & families["village"].isin(known_villages())
    households = households.fillna(own.where(appended))
    rows = rows.assign(household=rows["idpkh"].map(households))
    paid = rows["status"].str.upper() == "SALUR"
    rows = rows.assign(paid=paid, paid_amount=pd.to_numeric(rows["nominal"]).where(paid, 0.0))
    return rows[rows["household"].notna()]


def test_program_years_count_each_pkh_household_once_per_year(
    registry: RawRegistry, publication_warehouse: Warehouse
) -> None:
    """PKH households of each year from the raw BDT flags (PBDT 2015 sta_pkh, 2017 AdaPKH; 2016
    inside a spell flagged in both) and the raw payment lists, against fct_program_years."""
    secret = publication_warehouse.secret
    households = registry.households
    keys = households["idbdt"].map(lambda idbdt: pseudonym(secret, "rt", idbdt))
    payments = pkh_payment_rows(registry, secret)
    with publication_warehouse.connect() as connection:
        mart = connection.execute(
            "select replace(cast(household_key as varchar), '-', '') as key, year_number,"
            " from_bdt_flags, from_payment_lists, paid_stage_count, amount_paid_idr, is_pkh_paid"
            " from marts.fct_program_years where program_code = 'PKH'"
        ).fetchdf()
    assert not mart.duplicated(["key", "year_number"]).any()
    both = 0
    for year, variables in PKH_FLAGS.items():
        flagged = np.logical_and.reduce([code(households, v) == 1 for v in variables])
        by_flags = set(keys[flagged])
        of_year = payments[payments["year"] == year]
        by_lists = set(of_year["household"])
        rows = mart[mart["year_number"] == year]
        assert set(rows["key"]) == by_flags | by_lists, year
        assert set(rows.loc[rows["from_bdt_flags"], "key"]) == by_flags, year
        assert set(rows.loc[rows["from_payment_lists"], "key"]) == by_lists, year
        both += len(by_flags & by_lists)
        listed = rows[rows["from_payment_lists"]].set_index("key")
        sums = of_year.groupby("household")[["paid", "paid_amount"]].sum().reindex(listed.index)
        assert (listed["paid_stage_count"] == sums["paid"]).all(), year
        assert np.allclose(listed["amount_paid_idr"], sums["paid_amount"]), year
        assert (listed["is_pkh_paid"] == (sums["paid"] > 0)).all(), year
        assert rows.loc[~rows["from_payment_lists"], "is_pkh_paid"].isna().all(), year
    assert both > 0, "the set should have households with both kinds of evidence"
    assert set(mart["year_number"]) == set(PKH_FLAGS)


def test_questionnaire_rest_shares_by_desil_equal_the_raw_files(
    registry: RawRegistry, publication_warehouse: Warehouse
) -> None:
    """Issue #17: KB use among married women 15-49, birth-certificate coverage of children 0-17
    (bit 1 of Ada_kartu_identitas) and own businesses among members who worked, per desil,
    summed in SQL on marts.dim_individual and in pandas from the raw files."""
    with publication_warehouse.connect() as connection:
        mart = connection.execute(
            """
            select
                households.desil,
                count(case when individuals.uses_family_planning_code = 1
                    and individuals.sex_code = 2 and individuals.marital_status_code = 2
                    and individuals.age_years between 15 and 49 then 1 end)
                / count(case when individuals.sex_code = 2 and individuals.marital_status_code = 2
                    and individuals.age_years between 15 and 49
                    then individuals.uses_family_planning_code end) as kb_use,
                count(case when individuals.has_birth_certificate
                    and individuals.age_years between 0 and 17 then 1 end)
                / count(case when individuals.age_years between 0 and 17
                    then individuals.has_birth_certificate end) as birth_certificate,
                count(case when individuals.worked_code = 1
                    and individuals.own_business_sector_code is not null then 1 end)
                / count(case when individuals.worked_code = 1 then 1 end) as own_business
            from marts.dim_individual as individuals
            inner join marts.dim_household as households
                on individuals.household_key = households.household_key
            where households.desil is not null
            group by households.desil
            order by households.desil
            """
        ).fetchdf()
    desil = registry.households.set_index("idbdt")["desil"]
    members = registry.members.assign(desil=registry.members["idbdt"].map(desil))
    members = members[members["desil"].notna()]
    married_women = (
        (members["sex"] == 2) & (code(members, "sta_kawin") == 2) & members["age"].between(15, 49)
    )
    kb = code(members, "sta_kb")
    children = members["age"].between(0, 17)
    flags = number(members["ada_kartu_identitas"])
    worked = members["worked"] == 1
    business = code(members, "lapangan_usahaart").notna()
    raw = pd.DataFrame(
        {
            "kb_use": (kb == 1)[married_women & kb.notna()].groupby(members["desil"]).mean(),
            "birth_certificate": (flags % 2 == 1)[children & flags.notna()]
            .groupby(members["desil"])
            .mean(),
            "own_business": business[worked].groupby(members["desil"]).mean(),
        }
    )
    assert mart["desil"].tolist() == [1, 2, 3, 4] == raw.index.tolist()
    for column in ("kb_use", "birth_certificate", "own_business"):
        assert np.allclose(mart[column], raw[column].to_numpy(dtype=float), atol=1e-12), column
        assert raw[column].min() > 0 and raw[column].max() < 1, column
    # poorer households: fewer birth certificates (the civil-registration gap)
    assert raw["birth_certificate"][1] < raw["birth_certificate"][4]
