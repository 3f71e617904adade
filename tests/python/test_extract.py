"""By-name extracts (python -m scripts.extract): each profile's rows against an independent
selection from the raw files, the profile's columns only, refusals, the audit log.

The independent selection reads the raw CSV files (identifiers, names, NIKs, addresses, region
codes, percentiles), computes the pseudonymous keys itself (HMAC in Python) and the desil from
the seed desil_bands; it reads from the marts, by those keys, only what the raw files cannot
give without re-implementing a model tested elsewhere: which rows were accepted (the
quarantine), PKH receipt, NIK validity (person_key), the priority rank and the freshness."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scripts.contract import PROJECT_DIR
from scripts.extract import report
from scripts.extract.__main__ import main
from scripts.extract.audit import AUDIT_LOG, chain_breaks, entries
from scripts.extract.folders import EXTRACTS_DIR_VARIABLE
from scripts.extract.handover import handover_path
from scripts.extract.profiles import profiles
from scripts.restricted_files import is_owner_only
from tests.python.warehouse import (
    PLACEHOLDERS,
    Warehouse,
    built_warehouse,
    normalised_name,
    pseudonym,
    raw_person_names,
    raw_rows,
    run_generator,
)

CITY = "1272"
KECAMATAN = "1272010"
CITY_OFFICE = "dinsos_kota_tanjung_balai"
KECAMATAN_OFFICE = "pendamping_pkh_tanjung_balai_selatan"
OTHER_CITY = "1271"
# A series of three yearly deliveries: households unchanged since the first (24 months) are due
# for re-verification in the last.
SERIES_ARGUMENTS = ("--households", "3000", "--deliveries", "3", "--interval-months", "12")
LATEST_DELIVERY = "2017-07"
PREVIOUS_DELIVERY = "2016-07"
NIK_LENGTH = 16
DESIL_BANDS = PROJECT_DIR / "seeds" / "desil_bands.csv"
ACCOUNTABILITY = {
    "--requester": "Petugas Uji",
    "--purpose": "Uji daftar by-name",
    "--legal-basis": "460/001/TEST/2026",
}


def request_arguments(
    profile: str,
    region: str,
    organisation: str,
    out: Path,
    warehouse: Path,
    **overrides: str | None,
) -> list[str]:
    """The command-line arguments of a request; an override of None leaves that field out."""
    fields = {**ACCOUNTABILITY, "--organisation": organisation, "--region": region, **overrides}
    arguments = ["--profile", profile, "--warehouse", str(warehouse), "--out", str(out)]
    for flag, value in fields.items():
        if value is not None:
            arguments += [flag, value]
    return arguments


def clean(value: str | None) -> str | None:
    """A raw text value as staging reads it for comparison: blanks collapsed, upper case,
    placeholders as None."""
    if value is None:
        return None
    normalised = " ".join(value.split()).upper()
    return None if normalised in PLACEHOLDERS else normalised


def village_code(row: dict[str, str]) -> str:
    return (
        row["kdprop"].zfill(2)
        + row["kdkab"].zfill(2)
        + row["kdkec"].zfill(3)
        + row["kddesa"].zfill(3)
    )


def desil_of(percentile: str) -> int | None:
    """The desil of a raw percentile (seed desil_bands), None outside the bands or blank."""
    if not percentile.strip().isdigit():
        return None
    value = int(percentile)
    with DESIL_BANDS.open(encoding="utf-8", newline="") as handle:
        for band in csv.DictReader(handle):
            if int(band["percentile_from"]) <= value <= int(band["percentile_to"]):
                return int(band["desil"])
    return None


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def extract_files(out: Path, profile: str) -> tuple[Path, Path]:
    """The workbook and CSV of the one extract of `profile` in `out`."""
    (workbook,) = sorted(out.glob(f"{profile}_*.xlsx"))
    return workbook, workbook.with_suffix(".csv")


@pytest.fixture(scope="module")
def served(sample_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three profiles extracted from the sample into one folder (with its log)."""
    out = tmp_path_factory.mktemp("extracts") / "extracts"
    requests = (
        ("pkh_candidates", KECAMATAN, KECAMATAN_OFFICE),
        ("nik_followup", CITY, CITY_OFFICE),
        ("reverification", CITY, CITY_OFFICE),
    )
    for profile, region, organisation in requests:
        assert (
            main(request_arguments(profile, region, organisation, out, sample_warehouse.folder))
            == 0
        )
    return out


def household_marts(warehouse: Warehouse) -> dict[str, tuple]:
    """household_key (hex) -> (receives_pkh, priority_rank, is_due_for_reverification)."""
    with warehouse.connect() as connection:
        rows = connection.execute(
            """
            select
                households.household_key,
                households.receives_pkh,
                households.priority_rank,
                coalesce(freshness.is_due_for_reverification, false)
            from marts.dim_household as households
            left join marts.fct_household_freshness as freshness
                on households.household_key = freshness.household_key
            where households.household_source = 'BDT'
            """
        ).fetchall()
    return {key.hex: (pkh, rank, due) for key, pkh, rank, due in rows}


def test_pkh_candidates_are_the_raw_households_of_desil_1_4_without_pkh_in_priority_order(
    sample_warehouse: Warehouse, served: Path
) -> None:
    marts = household_marts(sample_warehouse)
    expected = {}
    for row in raw_rows(sample_warehouse.raw_dir, "bdt_rt"):
        key = pseudonym(sample_warehouse.secret, "rt", row["idbdt"])
        desil = desil_of(row["percentile"])
        if (
            key in marts
            and village_code(row).startswith(KECAMATAN)
            and desil is not None
            and desil <= 4
            and not marts[key][0]
        ):
            expected[row["idbdt"]] = (
                desil,
                marts[key][1],
                clean(row["nama_krt"]),
                clean(row["alamat"]),
            )
    _, path = extract_files(served, "pkh_candidates")
    rows = csv_rows(path)
    assert expected, "the sample has no candidate in the kecamatan: the test would prove nothing"
    assert {row["household_id"] for row in rows} == set(expected)
    for row in rows:
        desil, rank, head, address = expected[row["household_id"]]
        assert (int(row["desil"]), int(row["priority_rank"])) == (desil, rank)
        assert (clean(row["head_name"]), clean(row["address"])) == (head, address)
    order = [(int(row["desil"]), int(row["priority_rank"]), row["household_id"]) for row in rows]
    assert order == sorted(order)


def test_nik_followup_lists_the_raw_members_without_a_valid_nik(
    sample_warehouse: Warehouse, served: Path
) -> None:
    with sample_warehouse.connect() as connection:
        person_keys = dict(
            connection.execute(
                "select individual_key, person_key from marts.dim_individual"
            ).fetchall()
        )
    person_keys = {key.hex: person for key, person in person_keys.items()}
    expected = {
        row["idartbdt"]: (clean(row["nama"]), clean(row["nik"]), row["idbdt"])
        for row in raw_rows(sample_warehouse.raw_dir, "bdt_art")
        if (key := pseudonym(sample_warehouse.secret, "art", row["idartbdt"])) in person_keys
        and person_keys[key] is None
        and village_code(row).startswith(CITY)
    }
    _, path = extract_files(served, "nik_followup")
    rows = csv_rows(path)
    assert expected, "the sample has no member without a valid NIK: the test would prove nothing"
    assert {row["individual_id"] for row in rows} == set(expected)
    for row in rows:
        assert (clean(row["full_name"]), clean(row["nik"]), row["household_id"]) == expected[
            row["individual_id"]
        ]


@pytest.fixture(scope="module")
def series_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Three yearly deliveries (SERIES_ARGUMENTS) loaded and built."""
    raw = run_generator(tmp_path_factory.mktemp("extract_series") / "raw", *SERIES_ARGUMENTS)
    return built_warehouse(raw, tmp_path_factory.mktemp("extract_series_warehouse"))


def test_reverification_lists_the_raw_households_due(
    series_warehouse: Warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "extracts"
    arguments = request_arguments("reverification", CITY, CITY_OFFICE, out, series_warehouse.folder)
    assert main(arguments) == 0
    marts = household_marts(series_warehouse)
    latest = {
        row["idbdt"]: (clean(row["nama_krt"]), clean(row["alamat"]))
        for row in raw_rows(series_warehouse.raw_dir / LATEST_DELIVERY, "bdt_rt")
        if (key := pseudonym(series_warehouse.secret, "rt", row["idbdt"])) in marts
        and marts[key][2]
        and village_code(row).startswith(CITY)
    }
    _, path = extract_files(out, "reverification")
    rows = csv_rows(path)
    assert latest, "no household is due in the series: the test would prove nothing"
    assert {
        row["household_id"]: (clean(row["head_name"]), clean(row["address"])) for row in rows
    } == latest
    assert all(int(row["months_since_change"]) >= 24 for row in rows)


@pytest.mark.parametrize("profile", ["pkh_candidates", "nik_followup", "reverification"])
def test_only_the_profiles_columns_are_released_owner_only_and_marked_confidential(
    sample_warehouse: Warehouse, served: Path, profile: str
) -> None:
    columns = list(profiles()[profile].columns)
    workbook_path, csv_path = extract_files(served, profile)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == columns
    workbook = load_workbook(workbook_path)
    cover, listing = workbook.worksheets
    assert [cell.value for cell in listing[1]] == ["no", *columns]
    assert listing.max_column == len(columns) + 1
    for sheet in (cover, listing):
        assert sheet.oddHeader.center.text == "RAHASIA"
        assert sheet.oddFooter.left.text == "RAHASIA"
    cover_text = " ".join(
        str(cell.value) for row in cover.iter_rows() for cell in row if cell.value
    )
    for value in (*ACCOUNTABILITY.values(), "RAHASIA", f"{listing.max_row - 1}"):
        assert value in cover_text
    assert is_owner_only(served) and is_owner_only(workbook_path) and is_owner_only(csv_path)
    assert "output" not in served.parts
    if "nik" not in columns:
        niks = {clean(row["nik"]) for row in raw_rows(sample_warehouse.raw_dir, "bdt_art")} - {None}
        cells = {clean(str(cell.value)) for row in listing.iter_rows() for cell in row}
        assert not niks & cells


def logged_values(value: object) -> set[str]:
    """Every text value of a log entry (or of a list of them), at any depth, normalised."""
    if isinstance(value, dict):
        return set().union(*(logged_values(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(logged_values(item) for item in value))
    return {normalised_name(str(value))} if value is not None else set()


def test_each_served_request_is_logged_with_its_files_count_and_sha256(
    sample_warehouse: Warehouse, served: Path
) -> None:
    logged = entries(served / AUDIT_LOG)
    assert [entry["profile"] for entry in logged] == [
        "pkh_candidates",
        "nik_followup",
        "reverification",
    ]
    for entry in logged:
        assert entry["refused"] is False
        workbook_path, csv_path = extract_files(served, entry["profile"])
        assert entry["row_count"] == len(csv_rows(csv_path))
        assert {file["name"]: file["sha256"] for file in entry["files"]} == {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (workbook_path, csv_path, handover_path(served, workbook_path.stem))
        }
        assert entry["requester"] == ACCOUNTABILITY["--requester"]
    assert is_owner_only(served / AUDIT_LOG)
    niks = {clean(row["nik"]) for row in raw_rows(sample_warehouse.raw_dir, "bdt_art")} - {None}
    people = raw_person_names(sample_warehouse.raw_dir) | niks
    assert not logged_values(logged) & people


@pytest.mark.parametrize(
    ("overrides", "profile", "region", "organisation", "says"),
    [
        ({"--requester": None}, "pkh_candidates", CITY, CITY_OFFICE, "--requester"),
        ({"--purpose": None}, "nik_followup", CITY, CITY_OFFICE, "--purpose"),
        ({"--legal-basis": None}, "reverification", CITY, CITY_OFFICE, "--legal-basis"),
        ({"--legal-basis": " "}, "reverification", CITY, CITY_OFFICE, "--legal-basis"),
        (
            {},
            "pkh_candidates",
            OTHER_CITY,
            CITY_OFFICE,
            "outside the authority of Dinas Sosial Kota Tanjung Balai",
        ),
        ({}, "pkh_candidates", CITY, KECAMATAN_OFFICE, "outside the authority"),
        (
            {},
            "nik_followup",
            KECAMATAN,
            KECAMATAN_OFFICE,
            "may not receive the profile nik_followup",
        ),
        ({}, "pkh_candidates", CITY, "lsm_tanpa_perjanjian", "not authorised"),
        ({}, "all_columns", CITY, CITY_OFFICE, "unknown profile"),
        (
            {"--priority-group": "1"},
            "nik_followup",
            CITY,
            CITY_OFFICE,
            "takes no priority_group criterion",
        ),
        ({"--desil-max": "11"}, "pkh_candidates", CITY, CITY_OFFICE, "desil range 1-11"),
        ({"--nik-problem": "typo"}, "nik_followup", CITY, CITY_OFFICE, "--nik-problem typo"),
        ({"--receiving": "blt"}, "pkh_candidates", CITY, CITY_OFFICE, "--receiving blt"),
        (
            {"--receiving": "kks", "--not-receiving": "kks,kip"},
            "reverification",
            CITY,
            CITY_OFFICE,
            "kks both in --receiving and --not-receiving",
        ),
        (
            {"--delivery-status": "gone"},
            "reverification",
            CITY,
            CITY_OFFICE,
            "--delivery-status gone",
        ),
    ],
)
def test_refusals_name_what_is_missing_and_are_logged(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    overrides: dict,
    profile: str,
    region: str,
    organisation: str,
    says: str,
) -> None:
    out = tmp_path / "extracts"
    # No warehouse at all: a refused request never reads the restricted zone.
    arguments = request_arguments(
        profile, region, organisation, out, tmp_path / "no_warehouse", **overrides
    )
    assert main(arguments) != 0
    message = capsys.readouterr().err
    assert message.startswith("refused") and says in message
    (entry,) = entries(out / AUDIT_LOG)
    assert entry["refused"] is True and says in entry["reason"]
    assert entry["row_count"] is None and entry["files"] == []
    assert sorted(path.name for path in out.iterdir()) == [AUDIT_LOG]


def test_a_rerun_is_logged_again_and_the_log_is_only_appended(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "extracts"
    arguments = request_arguments(
        "pkh_candidates", KECAMATAN, KECAMATAN_OFFICE, out, sample_warehouse.folder
    )
    assert main(arguments) == 0
    first = (out / AUDIT_LOG).read_text(encoding="utf-8")
    assert main([*arguments[:-2], "--region", OTHER_CITY]) != 0
    assert main(arguments) == 0
    text = (out / AUDIT_LOG).read_text(encoding="utf-8")
    assert text.startswith(first)
    logged = [json.loads(line) for line in text.splitlines()]
    assert [entry["refused"] for entry in logged] == [False, True, False]
    assert logged[0]["row_count"] == logged[2]["row_count"]
    # The same request gives the same list in the same order: the CSVs are byte-identical.
    csv_hashes = [
        {file["sha256"] for file in entry["files"] if file["name"].endswith(".csv")}
        for entry in (logged[0], logged[2])
    ]
    assert csv_hashes[0] == csv_hashes[1] and len(csv_hashes[0]) == 1


def test_a_list_is_never_written_into_the_public_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    public = tmp_path / "output" / "extracts"
    assert main(request_arguments("pkh_candidates", CITY, CITY_OFFICE, public, warehouse)) != 0
    assert "public tier" in capsys.readouterr().err
    assert not public.exists()
    (entry,) = entries(warehouse / "extracts" / AUDIT_LOG)
    assert entry["refused"] is True and "public tier" in entry["reason"]


def city_office_list(
    profile: str, warehouse: Warehouse, out: Path, **criteria: str
) -> list[dict[str, str]]:
    """The rows of the list the city's Dinas Sosial receives for `profile` and the criteria
    (options as on the command line), served into `out`."""
    assert (
        main(request_arguments(profile, CITY, CITY_OFFICE, out, warehouse.folder, **criteria)) == 0
    )
    return csv_rows(extract_files(out, profile)[1])


def household_programs(warehouse: Warehouse) -> dict[str, tuple]:
    """household_key (hex) -> (priority_group, receives_kks, receives_kip) of the marts."""
    with warehouse.connect() as connection:
        rows = connection.execute(
            "select household_key, priority_group, receives_kks, receives_kip "
            "from marts.dim_household"
        ).fetchall()
    return {key.hex: tuple(values) for key, *values in rows}


def test_pkh_candidates_by_priority_group_and_other_programs(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "extracts"
    criteria = {
        "--desil-max": "2",
        "--priority-group": "1,2",
        "--receiving": "KKS",
        "--not-receiving": "kip",
    }
    rows = city_office_list("pkh_candidates", sample_warehouse, out, **criteria)
    marts = household_marts(sample_warehouse)
    programs = household_programs(sample_warehouse)
    expected = {
        row["idbdt"]
        for row in raw_rows(sample_warehouse.raw_dir, "bdt_rt")
        if (key := pseudonym(sample_warehouse.secret, "rt", row["idbdt"])) in marts
        and village_code(row).startswith(CITY)
        and (desil_of(row["percentile"]) or 0) in (1, 2)
        and not marts[key][0]
        and programs[key] in ((1, True, False), (2, True, False))
    }
    assert expected, "no household matches: the test would prove nothing"
    assert {row["household_id"] for row in rows} == expected
    (entry,) = entries(out / AUDIT_LOG)
    assert entry["criteria"] == {
        "region": CITY,
        "desil": [1, 2],
        "priority_group": [1, 2],
        "receiving": ["kks"],
        "not_receiving": ["kip"],
    }


def test_nik_followup_by_nik_problem_lists_the_raw_niks_of_the_wrong_length(
    sample_warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = city_office_list(
        "nik_followup", sample_warehouse, tmp_path, **{"--nik-problem": "wrong_length"}
    )
    with sample_warehouse.connect() as connection:
        accepted = {
            key.hex for (key,) in connection.execute(
                "select individual_key from marts.dim_individual"
            ).fetchall()
        }  # fmt: skip
    expected = {
        row["idartbdt"]: nik
        for row in raw_rows(sample_warehouse.raw_dir, "bdt_art")
        if pseudonym(sample_warehouse.secret, "art", row["idartbdt"]) in accepted
        and (nik := clean(row["nik"])) is not None
        and nik.isdigit()
        and len(nik) != NIK_LENGTH
        and village_code(row).startswith(CITY)
    }
    assert expected, "no NIK of the wrong length in the sample: the test would prove nothing"
    assert {row["individual_id"]: clean(row["nik"]) for row in rows} == expected
    assert {row["nik_problem"] for row in rows} == {"wrong_length"}


def test_pkh_candidates_by_delivery_status_are_the_households_not_in_the_previous_delivery(
    series_warehouse: Warehouse, tmp_path: Path
) -> None:
    statuses = {"--delivery-status": "new,split,reregistered,returned"}
    rows = city_office_list("pkh_candidates", series_warehouse, tmp_path, **statuses)
    marts = household_marts(series_warehouse)
    previous = {
        row["idbdt"] for row in raw_rows(series_warehouse.raw_dir / PREVIOUS_DELIVERY, "bdt_rt")
    }
    candidates = {
        row["idbdt"]
        for row in raw_rows(series_warehouse.raw_dir / LATEST_DELIVERY, "bdt_rt")
        if (key := pseudonym(series_warehouse.secret, "rt", row["idbdt"])) in marts
        and not marts[key][0]
        and (desil_of(row["percentile"]) or 0) in range(1, 5)
        and village_code(row).startswith(CITY)
    }
    listed = {row["household_id"] for row in rows}
    assert candidates - previous and candidates & previous, "the series has no new household"
    assert listed == candidates - previous
    (entry,) = entries(tmp_path / AUDIT_LOG)
    assert entry["delivery"] == LATEST_DELIVERY


def test_the_log_is_a_hash_chain_and_the_report_counts_what_the_files_hold(
    sample_warehouse: Warehouse, served: Path, tmp_path: Path
) -> None:
    log = tmp_path / AUDIT_LOG
    log.write_bytes((served / AUDIT_LOG).read_bytes())
    refused = request_arguments(
        "pkh_candidates", OTHER_CITY, CITY_OFFICE, tmp_path, sample_warehouse.folder
    )
    assert main(refused) != 0
    assert chain_breaks(log) == []
    assert report.main(["--log", str(log)]) == 0
    (written,) = tmp_path.glob(f"{report.REPORT_PREFIX}_*.md")
    text = written.read_text(encoding="utf-8")
    handed_over = sum(len(csv_rows(path)) for path in served.glob("*.csv"))
    assert "Hash chain: intact" in text
    assert f"3 served and 1 refused; rows handed over: {handed_over}" in text
    for path in served.glob("*.csv"):
        assert path.name in text
    assert "outside the authority" in text
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = json.loads(lines[1])
    edited["row_count"] += 1
    lines[1] = json.dumps(edited, ensure_ascii=False, sort_keys=True) + "\n"
    log.write_text("".join(lines), encoding="utf-8")
    assert chain_breaks(log) == [3]
    log.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    assert chain_breaks(log) == [2]
    assert report.main(["--log", str(log)]) == 1


def test_the_extracts_folder_is_configurable_and_kept_by_make_clean(
    sample_warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "kept"
    monkeypatch.setenv(EXTRACTS_DIR_VARIABLE, str(kept))
    arguments = request_arguments(
        "reverification", CITY, CITY_OFFICE, kept, sample_warehouse.folder
    )
    without_out = arguments[: arguments.index("--out")] + arguments[arguments.index("--out") + 2 :]
    assert main(without_out) == 0
    assert [entry["refused"] for entry in entries(kept / AUDIT_LOG)] == [False]
    project = tmp_path / "project"
    for folder in ("warehouse/extracts", "warehouse/build", "output"):
        (project / folder).mkdir(parents=True)
    for name in ("warehouse/extracts/extracts_audit.jsonl", "warehouse/bdt.duckdb"):
        (project / name).write_text("x", encoding="utf-8")
    subprocess.run(
        ["make", "--no-print-directory", "-f", str(PROJECT_DIR / "Makefile"), "clean"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    remaining = sorted(str(path.relative_to(project)) for path in project.rglob("*"))
    assert remaining == [
        "warehouse",
        "warehouse/extracts",
        "warehouse/extracts/extracts_audit.jsonl",
    ]
