"""Tests of successive deliveries (python -m scripts.generate --deliveries K).

Every expected value is recomputed from the written files (csv module): each delivery's data
files, manifest.json, manifest_changes.csv and manifest_defects.csv; the generator's numbers are
what is checked."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import pytest

from scripts.contract import normalise_header
from tests.python.warehouse import run_generator

DELIVERIES = 4
ARGS = ("--households", "800", "--seed", "13", "--chunk-size", "300")
FOLDERS = ["2015-07", "2016-01", "2016-07", "2017-01"]
KINDS = (
    "birth",
    "death",
    "member_moved",
    "household_split",
    "split_member",
    "exit_moved_away",
    "exit_deceased",
    "exit_graduated",
    "entry_fkp_addition",
    "entry_new_registration",
    "reregistration",
    "desil_change",
    "nik_corrected",
)
EXITS = ("exit_moved_away", "exit_deceased", "exit_graduated")
PBDT_DATE = dt.date(2015, 7, 1)  # the single-delivery dataset's date
ENTRIES = ("entry_fkp_addition", "entry_new_registration")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = [normalise_header(h) for h in next(reader)]
        return [dict(zip(header, row, strict=True)) for row in reader]


@dataclass
class Delivery:
    folder: Path

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def changes(self) -> list[dict[str, str]]:
        return read_rows(self.folder / "manifest_changes.csv")

    @cached_property
    def defects(self) -> list[dict[str, str]]:
        return read_rows(self.folder / "manifest_defects.csv")

    @cached_property
    def households(self) -> list[dict[str, str]]:
        return read_rows(self.folder / "bdt_rt_1272.csv")

    @cached_property
    def individuals(self) -> list[dict[str, str]]:
        return read_rows(self.folder / "bdt_art_1272.csv")

    @cached_property
    def dirty_lines(self) -> set[int]:
        return {int(d["line"]) for d in self.defects if d["file"] == "bdt_art_1272.csv"}

    @cached_property
    def people(self) -> dict[str, dict[str, str]]:
        """Individual rows by IDARTBDT."""
        return {r["idartbdt"]: r for r in self.individuals}

    @cached_property
    def clean_people(self) -> dict[str, dict[str, str]]:
        """Rows no defect touches, by IDARTBDT."""
        return {
            r["idartbdt"]: r
            for line, r in enumerate(self.individuals, start=2)
            if line not in self.dirty_lines
        }

    @cached_property
    def percentile(self) -> dict[str, str]:
        return {r["idbdt"]: r["percentile"] for r in self.households}

    def of(self, *kinds: str) -> list[dict[str, str]]:
        return [c for c in self.changes if c["kind"] in kinds]

    @property
    def date(self) -> dt.date:
        """The first day of the folder's month."""
        return dt.date.fromisoformat(self.folder.name + "-01")


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def birth_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> list[Delivery]:
    out = tmp_path_factory.mktemp("deliveries") / "raw"
    run_generator(out, *ARGS, "--deliveries", str(DELIVERIES), "--interval-months", "6")
    index = json.loads((out / "deliveries.json").read_text(encoding="utf-8"))
    return [Delivery(out / d["folder"]) for d in index["deliveries"]]


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_generator(tmp_path_factory.mktemp("single") / "raw", *ARGS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The KB questions (asked of married women aged 10-49), written out here.
KB_COLUMNS = ("sta_kb", "alat_kb")
KB_MAX_AGE = 49


def test_folders_are_named_by_month_from_pbdt_2015(series: list[Delivery]) -> None:
    assert [d.folder.name for d in series] == FOLDERS
    for k, delivery in enumerate(series):
        entry = delivery.manifest["delivery"]
        assert entry["index"] == k and entry["folder"] == FOLDERS[k]
        assert entry["previous"] == (FOLDERS[k - 1] if k else None)


def test_last_delivery_is_the_single_delivery_dataset_but_for_umur(
    series: list[Delivery], single: Path
) -> None:
    """The same files, bytes and defects, but Umur: the age on the last delivery's date
    (2017-01-01) there, on PBDT 2015's (2015-07-01) in the single-delivery dataset; and the KB
    answers (Sta_KB, Alat_KB), left blank for a woman who has passed 49 by then (skip rule)."""
    manifest = json.loads((single / "manifest.json").read_text(encoding="utf-8"))
    last = series[-1]
    individuals = "bdt_art_1272.csv"
    assert individuals in {e["path"] for e in manifest["files"]}
    for entry in manifest["files"]:
        if entry["path"] != individuals:
            assert digest(last.folder / entry["path"]) == digest(single / entry["path"])
    assert digest(last.folder / "manifest_defects.csv") == digest(single / "manifest_defects.csv")
    assert not (single / "manifest_changes.csv").exists()
    assert "delivery" not in manifest

    before, after = read_rows(single / individuals), last.individuals
    assert len(before) == len(after)
    unknown_birth, older, kb_left_out = 0, Counter(), 0
    delivery_dependent = {"umur", *KB_COLUMNS}
    for a, b in zip(before, after, strict=True):
        assert {k: v for k, v in a.items() if k not in delivery_dependent} == {
            k: v for k, v in b.items() if k not in delivery_dependent
        }
        if any(a[column] != b[column] for column in KB_COLUMNS):
            assert all(b[column] == "" for column in KB_COLUMNS), b["idartbdt"]
            assert int(b["umur"]) > KB_MAX_AGE >= int(a["umur"]), b["idartbdt"]
            kb_left_out += 1
        born = birth_date(a["tgllahir"])
        if born is None:  # 0000-00-00 or NULL written: 1.5 years later, one or two years older
            assert int(b["umur"]) - int(a["umur"]) in {1, 2}
            unknown_birth += 1
            continue
        # the age on the delivery's date, of the birth date written (changed with Umur by a
        # nik_birthdate_mismatch defect, so the same formula holds for those rows)
        expected = int(a["umur"]) + age_on(born, last.date) - age_on(born, PBDT_DATE)
        assert int(b["umur"]) == expected, b["idartbdt"]
        older[expected - int(a["umur"])] += 1
    assert unknown_birth < 0.01 * len(after)
    assert set(older) == {1, 2} and min(older.values()) > 0.2 * len(after)
    assert kb_left_out > 0


def test_umur_is_the_age_on_each_delivery_date(series: list[Delivery], single: Path) -> None:
    """Each delivery's manifest dates its data (reference_date, what the loader takes as the
    date of a folder); Umur of every row untouched by a defect is the age on that date."""
    single_manifest = json.loads((single / "manifest.json").read_text(encoding="utf-8"))
    assert single_manifest["reference_date"] == "2015-07-01"
    for delivery, folder in zip(series, FOLDERS, strict=True):
        assert delivery.manifest["reference_date"] == f"{folder}-01"
        assert delivery.manifest["delivery"]["date"] == f"{folder}-01"
        rows = delivery.clean_people.values()
        assert len(rows) > 0.9 * len(delivery.individuals)
        for person in rows:
            born = dt.date.fromisoformat(person["tgllahir"])
            assert int(person["umur"]) == age_on(born, delivery.date), person["idartbdt"]


def test_change_counts_are_the_rows_of_the_change_list(series: list[Delivery]) -> None:
    assert series[0].changes == []
    for delivery in series:
        counted = Counter(c["kind"] for c in delivery.changes)
        listed = {c["kind"]: c["count"] for c in delivery.manifest["delivery"]["changes"]}
        assert set(listed) == set(KINDS)
        assert listed == {k: counted.get(k, 0) for k in KINDS}
    for delivery in series[1:]:  # every kind happens at every step of a run of this size
        assert all(c["count"] >= 1 for c in delivery.manifest["delivery"]["changes"]), (
            delivery.folder.name
        )


def test_household_ids_enter_and_leave_as_listed(series: list[Delivery]) -> None:
    for before, after in pairwise(series):
        ids_before, ids_after = set(before.percentile), set(after.percentile)
        left = {c["idbdt_before"] for c in after.of(*EXITS, "reregistration")}
        came = {c["idbdt_after"] for c in after.of(*ENTRIES, "reregistration", "household_split")}
        assert ids_before - ids_after == left
        assert ids_after - ids_before == came
        total = len(after.of(*EXITS, "reregistration"))
        assert total == len(left)  # one row per household


def test_individual_files_hold_exactly_the_households_of_the_household_file(
    series: list[Delivery],
) -> None:
    for delivery in series:
        orphans = {d["key"][:16] for d in delivery.defects if d["kind"] == "orphan_individual"}
        members = {r["idbdt"] for r in delivery.individuals}
        assert members - orphans == set(delivery.percentile)
        sizes = Counter(r["idbdt"] for r in delivery.individuals)
        for household in delivery.households:
            assert int(household["jumlah_art"]) == sizes[household["idbdt"]]


def nik_of(delivery: Delivery, idartbdt: str) -> str:
    return delivery.people[idartbdt]["nik"]


def test_members_are_born_die_and_move_as_listed(series: list[Delivery]) -> None:
    for before, after in pairwise(series):
        niks_before = {r["nik"] for r in before.individuals}
        niks_after = {r["nik"] for r in after.individuals}
        for change in after.of("birth"):
            assert change["idartbdt_before"] == ""
            person = after.people[change["idartbdt_after"]]
            assert person["idbdt"] == change["idbdt_after"]
            if change["idartbdt_after"] in after.clean_people:
                assert person["hub_krt"] in {"3", "5"}
                born = dt.date.fromisoformat(person["tgllahir"])
                assert age_on(born, PBDT_DATE) <= 1  # a child then, first listed now
                assert int(person["umur"]) == age_on(born, after.date)
                assert person["nik"] not in niks_before
        for change in after.of("death"):
            person = before.people[change["idartbdt_before"]]
            assert person["idbdt"] == change["idbdt_before"]
            if change["idartbdt_before"] in before.clean_people:
                assert person["nik"] not in niks_after
        for change in after.of("member_moved", "split_member"):
            assert change["idbdt_before"] != change["idbdt_after"]
            a, b = change["idartbdt_before"], change["idartbdt_after"]
            assert a[:16] == change["idbdt_before"] and b[:16] == change["idbdt_after"]
            if a in before.clean_people and b in after.clean_people:
                assert nik_of(before, a) == nik_of(after, b)
                assert before.people[a]["tgllahir"] == after.people[b]["tgllahir"]


def test_split_members_leave_their_parent_for_the_child(series: list[Delivery]) -> None:
    for after in series[1:]:
        splits = {(c["idbdt_before"], c["idbdt_after"]) for c in after.of("household_split")}
        members = Counter((c["idbdt_before"], c["idbdt_after"]) for c in after.of("split_member"))
        assert set(members) == splits
        sizes = Counter(r["idbdt"] for r in after.individuals)
        for (_, child), n in members.items():
            assert sizes[child] == n


def test_malformed_niks_are_corrected_later(series: list[Delivery]) -> None:
    corrected = 0
    for before, after in pairwise(series):
        for change in after.of("nik_corrected"):
            bad = nik_of(before, change["idartbdt_before"])
            good = nik_of(after, change["idartbdt_after"])
            assert good.isdigit() and len(good) == 16
            assert not (bad.isdigit() and len(bad) == 16)
            kind = change["detail"]
            assert kind in {"nik_15_digits", "nik_letters"}
            listed = {(d["kind"], d["key"]) for d in before.defects if d["column"].lower() == "nik"}
            assert (kind, change["idartbdt_before"]) in listed
            assert change["idartbdt_after"] in after.clean_people  # no defect once corrected
            corrected += 1
    assert corrected >= 3


def test_desil_moves_are_listed_and_mostly_one_step(series: list[Delivery]) -> None:
    steps = Counter()
    for before, after in pairwise(series):
        moved = {c["idbdt_after"]: c for c in after.of("desil_change")}
        renamed = {c["idbdt_after"]: c["idbdt_before"] for c in after.of("reregistration")}
        for idbdt, percentile in after.percentile.items():
            old = renamed.get(idbdt, idbdt)
            if old not in before.percentile:
                continue
            if idbdt in moved:
                change = moved[idbdt]
                assert before.percentile[change["idbdt_before"]] == change["percentile_before"]
                assert percentile == change["percentile_after"]
                band = (int(change["percentile_after"]) - 1) // 10 - (
                    int(change["percentile_before"]) - 1
                ) // 10
                assert band != 0
                steps[abs(band)] += 1
            else:
                assert before.percentile[old] == percentile
    assert steps[1] > 0.7 * sum(steps.values())
    assert set(steps) <= {1, 2}


def test_a_person_keeps_birth_date_and_sex(series: list[Delivery]) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for delivery in series:
        for person in delivery.clean_people.values():
            facts = (person["tgllahir"], person["jnskel"])
            assert seen.setdefault(person["nik"], facts) == facts, person["nik"]


def test_pkh_stage_lists_span_the_deliveries(series: list[Delivery]) -> None:
    stages = {d.folder.name: sorted(p.name for p in d.folder.glob("pkh_*.csv")) for d in series}
    assert stages["2015-07"] == stages["2016-01"] == []
    assert stages["2016-07"] == ["pkh_2016_tahap1.csv", "pkh_2016_tahap2.csv"]
    assert len(stages["2017-01"]) == 8  # the last delivery holds the whole series
    for delivery in series:
        for name in stages[delivery.folder.name]:
            assert digest(delivery.folder / name) == digest(series[-1].folder / name)


def test_defect_counts_are_the_rows_of_the_defect_list(series: list[Delivery]) -> None:
    for delivery in series:
        counted = Counter((d["table"], d["kind"]) for d in delivery.defects)
        for entry in delivery.manifest["defects"]:
            assert entry["count"] == counted.get((entry["table"], entry["kind"]), 0)
        assert delivery.manifest["facts"]["households"] == len(delivery.households)
        assert delivery.manifest["facts"]["individuals"] == len(delivery.individuals)


def test_a_member_line_keeps_its_person_unless_a_correction_is_listed(
    series: list[Delivery],
) -> None:
    """The same IDARTBDT in two successive deliveries is the same person: same NIK and birth
    date on rows no defect touches, a NIK changed only where nik_corrected says so."""
    for before, after in pairwise(series):
        corrected = {c["idartbdt_after"] for c in after.of("nik_corrected")}
        both = set(before.clean_people) & set(after.clean_people)
        assert len(both) > 0.5 * len(after.individuals)
        for line in both:
            a, b = before.people[line], after.people[line]
            assert a["tgllahir"] == b["tgllahir"] and a["jnskel"] == b["jnskel"]
            assert (a["nik"] == b["nik"]) == (line not in corrected)


@pytest.mark.parametrize(
    "arguments",
    [
        ["--deliveries", "0"],
        ["--deliveries", "41"],
        ["--deliveries", "3", "--interval-months", "0"],
    ],
)
def test_delivery_options_out_of_range_are_refused(
    arguments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scripts.generate.__main__ import main

    out = tmp_path / "out"
    assert main(["--out", str(out), "--no-progress", *arguments]) == 2
    assert "--deliveries" in capsys.readouterr().err or "--interval-months" in arguments
    assert not out.exists()


def test_a_run_replaces_the_previous_series_or_dataset(tmp_path: Path) -> None:
    out = run_generator(tmp_path / "raw", "--households", "60")
    (out / "notes.txt").write_text("kept")
    run_generator(out, "--households", "60", "--deliveries", "3", "--interval-months", "12")
    assert sorted(p.name for p in out.iterdir()) == [
        "2015-07",
        "2016-07",
        "2017-07",
        "deliveries.json",
        "notes.txt",
    ]
    run_generator(out, "--households", "60", "--deliveries", "2", "--interval-months", "6")
    assert sorted(p.name for p in out.iterdir()) == [
        "2015-07",
        "2016-01",
        "deliveries.json",
        "notes.txt",
    ]
    run_generator(out, "--households", "60")
    names = sorted(p.name for p in out.iterdir())
    assert "deliveries.json" not in names and "2016-01" not in names
    assert "notes.txt" in names and "bdt_rt_1272.csv" in names


def test_split_members_were_relatives_of_the_parent_head(series: list[Delivery]) -> None:
    """Before the split, the members of the new household lived in the parent as its head's
    children (a generation younger), children-in-law, grandchildren or other relatives."""
    for before, after in pairwise(series):
        for change in after.of("split_member"):
            line = change["idartbdt_before"]
            if line not in before.clean_people:
                continue
            person = before.people[line]
            assert person["hub_krt"] in {"3", "4", "5", "8"}
            head = before.clean_people.get(change["idbdt_before"] + "01")
            if person["hub_krt"] == "3" and head is not None:
                assert int(head["umur"]) - int(person["umur"]) >= 17


def test_same_arguments_same_series(series: list[Delivery], tmp_path: Path) -> None:
    out = run_generator(
        tmp_path / "again", *ARGS, "--deliveries", str(DELIVERIES), "--interval-months", "6"
    )
    for delivery in series:
        for path in delivery.folder.iterdir():
            assert digest(out / delivery.folder.name / path.name) == digest(path), path.name
    assert digest(out / "deliveries.json") == digest(series[0].folder.parent / "deliveries.json")


def test_the_national_profile_makes_a_series_too(tmp_path: Path) -> None:
    """--profile national --regions (the profile of the 1m and national benchmark scales) with
    --deliveries: a folder per delivery, dated, with the changes listed and counted; chunks
    smaller than the run and Parquet files as at those scales."""
    import duckdb

    from scripts.generate.config import REFERENCE_DIR

    out = run_generator(
        tmp_path / "raw",
        *("--profile", "national", "--regions", str(REFERENCE_DIR / "bps_mfd_2018")),
        *("--households", "900", "--chunk-size", "400", "--format", "parquet"),
        *("--deliveries", "3", "--interval-months", "12"),
    )
    index = json.loads((out / "deliveries.json").read_text(encoding="utf-8"))
    assert [d["folder"] for d in index["deliveries"]] == ["2015-07", "2016-07", "2017-07"]
    for k, entry in enumerate(index["deliveries"]):
        folder = out / entry["folder"]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["reference_date"] == entry["date"] == f"{entry['folder']}-01"
        changes = read_rows(folder / "manifest_changes.csv")
        assert Counter(c["kind"] for c in changes) == Counter(
            {kind: n for kind, n in entry["changes"].items() if n}
        )
        assert (len(changes) > 0) == (k > 0)
        (ages,) = duckdb.sql(
            f"select count(*), count(*) filter (where umur::int = date_diff('year', "
            f"tgllahir::date, date '{entry['date']}') - (strftime(tgllahir::date, '%m-%d') > "
            f"'{entry['date'][5:]}')::int) from '{folder}/bdt_art_national.parquet' "
            f"where try_cast(tgllahir as date) is not null"
        ).fetchall()
        assert ages[0] > 0 and ages[1] > 0.97 * ages[0]
        assert manifest["facts"]["households"] == entry["households"]
