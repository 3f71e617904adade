"""The rest of the PBDT 2015 questionnaire (issue #17): an older export without its columns still
loads and builds, the marts then hold unknown (null) answers for them, never "no", and the
publication says "not in this delivery"; the publication's tables 15-17, the household summaries
and the skip-rule check equal an independent computation from the raw files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scripts.publish.pipeline import Publication, publish
from tests.python.test_publish import (
    RawRegistry,
    age_at_reference,
    answered,
    check_against,
    code,
    expected_shares,
    margins,
    member_question_sums,
    members_of_target,
    number,
)
from tests.python.warehouse import QUESTIONNAIRE_MEMBER_COLUMNS, Warehouse, built_warehouse

# The columns added for issue #17, written out here (not read from the contract).
NEW_HOUSEHOLD_COLUMNS = ("luas_bangunan", "ada_hp", "sta_art_usaha")


def without_columns(source: Path, target: Path, dropped: tuple[str, ...]) -> None:
    """Copy a CSV file without the columns whose header (any letter case) is in `dropped`, with
    CRLF line ends (so that a stray carriage return in a value is quoted)."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    keep = [i for i, header in enumerate(rows[0]) if header.strip().lower() not in dropped]
    assert len(keep) == len(rows[0]) - len(dropped), f"{source.name}: not every column found"
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([row[i] for i in keep] for row in rows)


@pytest.fixture(scope="module")
def older_export(generated_small: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The small generated set with the issue #17 columns removed, loaded and built."""
    raw = tmp_path_factory.mktemp("older_export") / "raw"
    shutil.copytree(generated_small, raw)
    for path in raw.glob("bdt_rt_*.csv"):
        without_columns(path, path, NEW_HOUSEHOLD_COLUMNS)
    for path in raw.glob("bdt_art_*.csv"):
        without_columns(path, path, QUESTIONNAIRE_MEMBER_COLUMNS)
    return built_warehouse(raw, tmp_path_factory.mktemp("older_export_warehouse"))


def test_an_export_without_the_new_columns_builds_with_unknown_answers(
    older_export: Warehouse,
) -> None:
    with older_export.connect() as connection:
        individuals = connection.execute(
            "select count(*), count(pregnant_code), count(uses_family_planning_code),"
            " count(family_planning_method_code), count(school_ownership_code),"
            " count(own_business_sector_code), count(own_business_worker_count),"
            " count(own_business_fixed_place_code), count(own_business_turnover_code)"
            " from marts.dim_individual"
        ).fetchone()
        households = connection.execute(
            "select count(*), count(floor_area_m2), count(building_area_m2),"
            " count(member_business_code) from marts.dim_household"
            " where household_source = 'BDT'"
        ).fetchone()
        phones = connection.execute(
            "select count(*), count(is_owned) from marts.fct_household_assets"
            " where asset_code = 'mobile_phone'"
        ).fetchone()
    assert individuals is not None and households is not None and phones is not None
    # the old questions are there, the new ones unknown for everyone
    assert individuals[0] > 1000 and individuals[1] > 50
    assert individuals[2:] == (0,) * 7
    assert households[0] > 250 and households[1] > 250 and households[2:] == (0, 0)
    assert phones == (households[0], 0)
    # the loader lists them as the optional columns these files lack
    with duckdb.connect(str(older_export.folder / "raw.duckdb"), read_only=True) as raw:
        missing = dict(
            raw.execute(
                "select file, missing_optional_columns from raw.raw._load_files"
                " where file like 'bdt_%'"
            ).fetchall()
        )
    assert set(missing["bdt_rt_1272.csv"].split(",")) == set(NEW_HOUSEHOLD_COLUMNS)
    assert set(missing["bdt_art_1272.csv"].split(",")) == set(QUESTIONNAIRE_MEMBER_COLUMNS)


# -- the publication's tables 15-17 against the raw files ----------------------------------------

SECTOR_GROUPS = {"agriculture": (1, 7), "industry": (8, 11), "services": (12, 21)}


@pytest.fixture(scope="module")
def registry(generated_for_publication: Path) -> RawRegistry:
    return RawRegistry(generated_for_publication)


def test_table_15_members_with_a_business_by_sector_and_desil(
    registry: RawRegistry, publication: Publication, out_dir: Path
) -> None:
    members = members_of_target(registry)
    sector = code(members, "lapangan_usahaart")
    runs = {name: sector.between(low, high) for name, (low, high) in SECTOR_GROUPS.items()}
    runs["members"] = sector.notna()
    members = members.assign(**{f"b_{name}": flag for name, flag in runs.items()})
    columns = [f"b_{name}" for name in runs]
    per_household = members.groupby(["idbdt", "kecamatan", "desil"])[columns].sum().reset_index()
    for column in columns:
        per_household[f"{column}_households"] = per_household[column] > 0
    sums = margins(per_household, [*columns, *(f"{c}_households" for c in columns)])
    expected = pd.concat(
        [
            pd.DataFrame(
                {
                    "measure": f"own_business_{name}",
                    "value": sums[f"b_{name}"],
                    "base": sums[f"b_{name}"],
                    "base_households": sums[f"b_{name}_households"],
                }
            )
            for name in runs
        ]
    ).reset_index()
    assert check_against(publication, out_dir, "micro_business", expected) == 4 * 7 * 5
    total = expected[(expected["kecamatan"] == "total") & (expected["desil"] == "total")]
    by_measure = total.set_index("measure")["value"]
    assert by_measure["own_business_members"] == sum(
        by_measure[f"own_business_{name}"] for name in SECTOR_GROUPS
    )
    assert by_measure["own_business_members"] > 100


def test_table_16_kb_use_of_married_women_15_49(
    registry: RawRegistry, publication: Publication, out_dir: Path
) -> None:
    members = members_of_target(registry)
    women = (
        (members["sex"] == 2) & (code(members, "sta_kawin") == 2) & members["age"].between(15, 49)
    )
    kb = code(members, "sta_kb")
    members = answered(members, "kb", (kb == 1).astype(float).where(kb.notna()), women)
    expected = expected_shares(
        member_question_sums(members, ["kb"]),
        {"family_planning_use_15_49": "kb"},
        households=False,
    )
    check_against(publication, out_dir, "family_planning", expected)
    total = expected[(expected["kecamatan"] == "total") & (expected["desil"] == "total")]
    assert 20 < total["value"].iloc[0] < 80 and total["unknown"].iloc[0] > 0


def test_table_17_birth_certificates_of_children_0_17(
    registry: RawRegistry, publication: Publication, out_dir: Path
) -> None:
    members = members_of_target(registry)
    flags = number(members["ada_kartu_identitas"])
    members = answered(
        members,
        "akta",
        (flags % 2 == 1).astype(float).where(flags.notna()),
        members["age"].between(0, 17),
    )
    expected = expected_shares(
        member_question_sums(members, ["akta"]),
        {"birth_certificate_0_17": "akta"},
        households=False,
    )
    check_against(publication, out_dir, "birth_certificates", expected)
    by_desil = expected[expected["kecamatan"] == "total"].set_index("desil")["value"]
    assert by_desil["1"] < by_desil["4"]  # the civil-registration gap of the poorest


def test_household_summaries_equal_the_raw_members(
    registry: RawRegistry, publication_warehouse: Warehouse
) -> None:
    """dim_household's member counts of the questionnaire's rest, household by household."""
    members = registry.members
    sector = code(members, "lapangan_usahaart")
    women = (
        (members["sex"] == 2) & (code(members, "sta_kawin") == 2) & members["age"].between(15, 49)
    )
    children = members["age"].between(0, 17)
    flags = number(members["ada_kartu_identitas"])
    raw = (
        members.assign(
            own_business_member_count=sector.notna(),
            **{
                f"own_business_{name}_member_count": sector.between(low, high)
                for name, (low, high) in SECTOR_GROUPS.items()
            },
            family_planning_women_15_49_count=women,
            family_planning_users_15_49_count=women & (code(members, "sta_kb") == 1),
            family_planning_unknown_15_49_count=women & code(members, "sta_kb").isna(),
            children_0_17_count=children,
            children_0_17_with_birth_certificate_count=children & (flags % 2 == 1),
            children_0_17_documents_unknown_count=children & flags.isna(),
        )
        .groupby("idbdt")
        .sum(numeric_only=True)
    )
    columns = [
        "own_business_member_count",
        *(f"own_business_{name}_member_count" for name in SECTOR_GROUPS),
        "family_planning_women_15_49_count",
        "family_planning_users_15_49_count",
        "family_planning_unknown_15_49_count",
        "children_0_17_count",
        "children_0_17_with_birth_certificate_count",
        "children_0_17_documents_unknown_count",
    ]
    with publication_warehouse.connect(restricted=True) as connection:
        mart = connection.execute(
            f"select i.household_id as idbdt, {', '.join('h.' + c for c in columns)}"
            " from marts.dim_household as h"
            " inner join pii.identity.identity_households as i using (household_key)"
            " where h.household_source = 'BDT'"
        ).fetchdf()
    mart = mart.set_index("idbdt")
    assert len(mart) == len(registry.household_rows)
    raw = raw[columns].reindex(mart.index).fillna(0)
    for column in columns:
        assert (mart[column].to_numpy() == raw[column].to_numpy()).all(), column
    assert raw["own_business_member_count"].sum() > 100
    assert raw["family_planning_unknown_15_49_count"].sum() > 0


# -- the skip-rule check ------------------------------------------------------------------------


def skip_rule_breach_lines(members: pd.DataFrame) -> set[tuple[str, int]]:
    """The raw lines answering a question the form's skip rules leave out, recomputed: KB for
    anyone but a married woman aged 10-49, an own business for a member who did not work,
    school status for a member not in school (unknown sex, age or status: no breach)."""
    sex, married = members["sex"], code(members, "sta_kawin")
    age = age_at_reference(members["umur"], members["tgllahir"])
    kb_answered = code(members, "sta_kb").notna() | code(members, "alat_kb").notna()
    kb_not_asked = (
        (sex == 1) | (married.notna() & (married != 2)) | (age.notna() & ((age < 10) | (age > 49)))
    )
    business = (
        code(members, "lapangan_usahaart").notna()
        | number(members["jumlah_pekerja"]).notna()
        | code(members, "lokasi_usaha").notna()
        | code(members, "omset_usaha").notna()
    )
    worked = code(members, "sta_bekerja")
    participation = code(members, "partisipasi_sekolah")
    breach = (
        (kb_answered & kb_not_asked)
        | (business & worked.notna() & (worked != 1))
        | (code(members, "sta_sekolah").notna() & participation.notna() & (participation != 1))
    )
    rows = members[breach.fillna(False).astype(bool)]
    return set(zip(rows["_file"], rows["_line"].astype(int), strict=True))


def test_skip_rule_breaches_are_flagged_line_by_line(
    registry: RawRegistry, publication_warehouse: Warehouse, generated_for_publication: Path
) -> None:
    expected = skip_rule_breach_lines(registry.members)
    with publication_warehouse.connect(restricted=True) as connection:
        flagged = set(
            connection.execute(
                "select source_file, source_line from pii.intermediate.int_quality__issues"
                " where rule_code = 'skip_rule_breach'"
            ).fetchall()
        )
        (counted,) = connection.execute(
            "select sum(row_count) from quality.dq_rule_counts where rule_code = 'skip_rule_breach'"
        ).fetchone()
    with (generated_for_publication / "manifest_defects.csv").open(encoding="utf-8") as handle:
        injected = {
            (row["file"], int(row["line"]))
            for row in csv.DictReader(handle)
            if row["kind"] == "skip_rule_breach"
        }
    assert flagged == expected
    assert injected and injected <= flagged
    assert counted == len(flagged)


# -- "not in this delivery" ---------------------------------------------------------------------


def test_the_publication_says_not_in_this_delivery_for_the_absent_columns(
    older_export: Warehouse, tmp_path: Path
) -> None:
    with older_export.connect() as connection:
        (absent,) = connection.execute(
            "select absent_optional_columns from marts.dim_delivery where is_current"
        ).fetchone()
    assert absent.split(",") == sorted(
        [f"bdt_households.{c}" for c in NEW_HOUSEHOLD_COLUMNS]
        + [f"bdt_individuals.{c}" for c in QUESTIONNAIRE_MEMBER_COLUMNS]
    )
    publication = publish(older_export.bi_database, tmp_path, level="kecamatan", progress=False)
    tables = {table.name: table for table in publication.tables}
    for name, column in (("micro_business", "lapangan_usahaart"), ("family_planning", "sta_kb")):
        table = tables[name]
        assert table.cells.empty, name  # no zeros: nothing
        assert table.title.en.endswith("(not in this delivery)"), name
        assert any(column in note.en and "Not in this delivery" in note.en for note in table.notes)
        csv_rows = (tmp_path / "tables" / f"{table.slug}.csv").read_text().splitlines()
        assert len(csv_rows) == 1, name  # the header only
    assets = tables["assets"]
    assert "owns_mobile_phone" not in set(assets.cells["measure"])
    assert {"owns_television", "owns_refrigerator"} <= set(assets.cells["measure"])
    (phone_panel,) = [
        panel
        for panel in assets.panels
        if {column.measure for column in panel.columns} == {"owns_mobile_phone"}
    ]
    assert phone_panel.title.en.endswith("(not in this delivery)")
    # Ada_kartu_identitas is an old column: birth certificates are published as usual
    certificates = tables["birth_certificates"]
    assert not certificates.cells.empty and "not in this delivery" not in certificates.title.en
    assert certificates.cells["value"].notna().any()
    report = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("**/*.html"))
    assert "not in this delivery" in report and "tidak ada dalam penyerahan ini" in report
