"""The warehouse end to end: generated raw files -> load -> dbt build, checked against the
generator's manifest and the raw files themselves (never against the models' own numbers)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.python.test_publish import read_raw, village_code
from tests.python.warehouse import (
    Warehouse,
    normalised_name,
    pseudonym,
    raw_person_names,
)

NIK_LIKE = re.compile(r"(^|[^0-9A-Za-z])[0-9]{16}([^0-9A-Za-z]|$)")
RULES_FILE = Path(__file__).resolve().parents[2] / "seeds" / "dq_rules.csv"

pytestmark = pytest.mark.slow  # every test reads a built warehouse (some through `warehouse`)


@pytest.fixture(params=["sample", "dirty"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    return request.getfixturevalue(f"{request.param}_warehouse")


def manifest(raw_dir: Path) -> dict:
    return json.loads((raw_dir / "manifest.json").read_text(encoding="utf-8"))


def manifest_defect_rows(raw_dir: Path) -> list[dict[str, str]]:
    with (raw_dir / "manifest_defects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rule_kinds() -> dict[str, list[str]]:
    """dq rule -> the generator defect kinds it must catch (seed dq_rules)."""
    with RULES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["rule_code"]: row["generator_defect_kinds"].split(";")
            for row in csv.DictReader(handle)
            if row["generator_defect_kinds"]
        }


def test_reconciliation_says_nothing_is_lost(warehouse: Warehouse) -> None:
    with warehouse.connect() as connection:
        rows = connection.execute(
            "select raw_table, raw_rows, mart_rows, quarantined_rows, is_reconciled"
            " from quality.dq_reconciliation"
        ).fetchall()
    files = manifest(warehouse.raw_dir)["files"]
    raw_counts = Counter()
    for entry in files:
        raw_counts[entry["table"]] += entry["rows"]
    assert {row[0]: row[1] for row in rows} == dict(raw_counts)
    for raw_table, raw, mart, quarantined, is_reconciled in rows:
        assert raw == mart + quarantined and is_reconciled, raw_table


def test_marts_hold_the_bdt_households_and_the_pkh_non_bdt_families(warehouse: Warehouse) -> None:
    facts = manifest(warehouse.raw_dir)["facts"]
    with warehouse.connect() as connection:
        counts = dict(
            connection.execute(
                "select household_source, count(*) from marts.dim_household group by 1"
            ).fetchall()
        )
    assert counts["BDT"] == facts["households"]
    assert counts["PKH non-BDT"] == facts["pkh_families"]["non_bdt"]


def test_marts_hold_the_individuals_minus_the_quarantined(warehouse: Warehouse) -> None:
    facts = manifest(warehouse.raw_dir)["facts"]
    defects = Counter(row["kind"] for row in manifest_defect_rows(warehouse.raw_dir))
    removed = (
        defects["orphan_individual"]
        + defects["nik_duplicate_within_household"]
        + defects["nik_duplicate_across_households"]
    )
    with warehouse.connect() as connection:
        (count,) = connection.execute("select count(*) from marts.dim_individual").fetchone()
    assert count == facts["individuals"] - removed


def test_every_injected_defect_is_caught_by_its_rule(warehouse: Warehouse) -> None:
    """Row by row: the raw lines the generator damaged are exactly the lines each rule hit."""
    injected: dict[str, set[tuple[str, int]]] = {}
    for row in manifest_defect_rows(warehouse.raw_dir):
        injected.setdefault(row["kind"], set()).add((row["file"], int(row["line"])))
    with warehouse.connect(restricted=True) as connection:
        hits = connection.execute(
            "select rule_code, source_file, source_line from pii.intermediate.int_quality__issues"
        ).fetchall()
        household_rows = {
            idbdt: (source_file, source_line)
            for idbdt, source_file, source_line in connection.execute(
                "select idbdt, _source_file, _source_line from raw.raw.bdt_households"
            ).fetchall()
        }
    caught: dict[str, set[tuple[str, int]]] = {}
    for rule, source_file, source_line in hits:
        caught.setdefault(rule, set()).add((source_file, source_line))
    for rule, kinds in rule_kinds().items():
        expected = set().union(*(injected.get(kind, set()) for kind in kinds))
        if rule in ("household_without_head", "household_with_several_heads"):
            # The generator lists the member rows it changed; the rule flags the household row.
            members = [
                row for row in manifest_defect_rows(warehouse.raw_dir) if row["kind"] in kinds
            ]
            expected = {household_rows[row["key"][:16]] for row in members}
        assert caught.get(rule, set()) == expected, rule


def test_bi_database_holds_no_personal_data(warehouse: Warehouse) -> None:
    names = raw_person_names(warehouse.raw_dir)
    assert len(names) > 100
    with warehouse.connect() as connection:
        databases = {
            row[0]
            for row in connection.execute(
                "select database_name from duckdb_databases() where not internal"
            ).fetchall()
        }
        assert databases == {"bdt"}
        columns = connection.execute(
            "select schema_name, table_name, column_name from duckdb_columns()"
            " where database_name = 'bdt' and data_type = 'VARCHAR'"
        ).fetchall()
        assert columns, "no text column scanned"
        for schema, table, column in columns:
            values = connection.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            for (value,) in values:
                assert not NIK_LIKE.search(value), f"{schema}.{table}.{column}: NIK-like value"
                assert normalised_name(value) not in names, f"{schema}.{table}.{column}: a name"


def test_person_key_is_the_hmac_of_the_nik_under_the_secret(sample_warehouse: Warehouse) -> None:
    with sample_warehouse.connect(restricted=True) as connection:
        rows = connection.execute(
            "select nik, person_key from pii.identity.identity_individuals"
            " where person_key is not null order by individual_key limit 200"
        ).fetchall()
        (in_marts,) = connection.execute(
            "select count(*) from marts.dim_individual as i"
            " inner join pii.identity.identity_individuals as p using (individual_key)"
            " where i.person_key = p.person_key or (i.person_key is null and p.person_key is null)"
        ).fetchone()
        (individuals,) = connection.execute("select count(*) from marts.dim_individual").fetchone()
    assert len(rows) == 200
    for nik, person_key in rows:
        assert person_key.hex == pseudonym(sample_warehouse.secret, "nik", nik)
    assert in_marts == individuals


RESTRICTED_MODEL_FOLDERS = ("models/staging/", "models/intermediate/", "models/restricted/")


def test_store_failures_keeps_restricted_rows_out_of_the_bi_database(
    dirty_warehouse: Warehouse,
) -> None:
    """Built with --store-failures: the BI database holds only its documented schemas, and the
    failures of every test declared on the restricted zone are stored in the restricted database."""
    manifest = json.loads((dirty_warehouse.folder / "target" / "manifest.json").read_text())
    expected: dict[str, set[str]] = {"restricted": set(), "bi": set()}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test":
            restricted = node["original_file_path"].startswith(RESTRICTED_MODEL_FOLDERS)
            expected["restricted" if restricted else "bi"].add(node["alias"])
    with dirty_warehouse.connect(restricted=True) as connection:
        tables = connection.execute(
            "select database_name, schema_name, table_name from duckdb_tables()"
            " where database_name in ('bdt', 'pii')"
        ).fetchall()
    bi_schemas = {schema for database, schema, _ in tables if database == "bdt"}
    assert bi_schemas == {"marts", "quality", "reference", "audit"}
    stored = {
        zone: {table for database, schema, table in tables if (database, schema) == place}
        for zone, place in (("bi", ("bdt", "audit")), ("restricted", ("pii", "restricted_audit")))
    }
    assert len(expected["restricted"]) > 100 and len(expected["bi"]) > 100
    assert stored == expected


def test_dim_region_flags_the_villages_the_raw_files_hold_and_maps_provinces_to_iso(
    sample_warehouse: Warehouse,
) -> None:
    """has_households: the desa of the raw household rows (those in the region list: a row of an
    unknown desa is quarantined) are flagged, and only desa of a raw household or PKH payment row
    are; every province has its ISO code."""
    household_villages = set(village_code(read_raw(sample_warehouse.raw_dir, "bdt_rt")).dropna())
    payment_villages = set(village_code(read_raw(sample_warehouse.raw_dir, "pkh")).dropna())
    with sample_warehouse.connect() as connection:
        regions = connection.execute(
            "select village_code, province_name, province_iso_code, has_households"
            " from marts.dim_region"
        ).fetchall()
        mart_villages = connection.execute(
            "select distinct village_code from marts.dim_household"
        ).fetchall()
    flagged = {village for village, _, _, present in regions if present}
    known = {village for village, _, _, _ in regions}
    assert household_villages & known <= flagged <= household_villages | payment_villages
    assert flagged == {village for (village,) in mart_villages}
    iso_codes = {name: iso for _, name, iso, _ in regions}
    assert all(re.fullmatch(r"ID-[A-Z]{2}", iso or "") for iso in iso_codes.values())
    assert iso_codes["SUMATERA UTARA"] == "ID-SU"
