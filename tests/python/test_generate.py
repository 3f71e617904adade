"""Tests of the synthetic raw data generator (scripts/generate).

Every expected value is recomputed from the written files (csv module, pandas with dtype=str,
pyarrow, openpyxl); the generator's own numbers (manifest) are what is checked, never the source
of truth."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from scripts.contract import PROJECT_DIR, normalise_header, raw_table
from tests.python.warehouse import QUESTIONNAIRE_MEMBER_COLUMNS, run_generator

REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference"
NATIONAL_REGIONS = REFERENCE_DIR / "bps_mfd_2018"
TEST_DATA_DIR = Path(__file__).parent / "data"
REFERENCE_DATE = dt.date(2015, 7, 1)
PKH_FILES = [f"pkh_{y}_tahap{t}" for y in (2016, 2017) for t in (1, 2, 3, 4)]
NIK_KINDS = ("nik_15_digits", "nik_letters", "nik_scientific_notation")
ALL_KINDS = {
    "bdt_individuals": (
        "nik_15_digits",
        "nik_letters",
        "nik_scientific_notation",
        "nik_duplicate_across_households",
        "nik_duplicate_within_household",
        "nik_sex_mismatch",
        "nik_birthdate_mismatch",
        "birthdate_zero",
        "null_literal",
        "code_out_of_range",
        "orphan_individual",
        "household_no_head",
        "household_two_heads",
        "region_code_no_leading_zeros",
        "trailing_spaces",
        "stray_cr",
        "header_case_variant",
        "questionnaire_null_literal",
        "skip_rule_breach",
    ),
    "bdt_households": (
        "null_literal",
        "code_out_of_range",
        "region_code_no_leading_zeros",
        "trailing_spaces",
        "stray_cr",
        "header_case_variant",
        "questionnaire_null_literal",
    ),
    "pkh_payments": ("tgl_zero", "trailing_spaces"),
}


# ---------------------------------------------------------------------------------------------
# Reading the files, independently of the generator


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]]
    first_line: int = 2  # line (CSV) / sheet row (Excel) of the first data row
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {normalise_header(h): i for i, h in enumerate(self.header)}

    def col(self, name: str) -> list[str]:
        i = self.index[name]
        return [r[i] for r in self.rows]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.rows, columns=[normalise_header(h) for h in self.header], dtype=str
        )


def read_csv_table(path: Path, delimiter: str = ",") -> Table:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        return Table(path.name, header, list(reader))


def read_parquet_table(path: Path) -> Table:
    table = pq.read_table(path)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return Table(path.name, table.column_names, [list(r) for r in zip(*columns, strict=True)], 1)


def read_xlsx_table(path: Path) -> Table:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return Table(path.name, rows[0], rows[1:])


class Dataset:
    """One generated folder: its manifest, defect list and tables."""

    def __init__(self, folder: Path, delimiter: str = ",") -> None:
        self.folder = folder
        self.delimiter = delimiter
        self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        with (folder / "manifest_defects.csv").open(newline="", encoding="utf-8") as handle:
            self.defects = list(csv.DictReader(handle))

    def file(self, stem: str) -> Path:
        (path,) = [p for p in self.folder.iterdir() if p.stem == stem or p.stem.startswith(stem)]
        return path

    def table(self, stem: str) -> Table:
        path = self.file(stem)
        if path.suffix == ".parquet":
            return read_parquet_table(path)
        if path.suffix == ".xlsx":
            return read_xlsx_table(path)
        return read_csv_table(path, self.delimiter)

    @cached_property
    def households(self) -> Table:
        return self.table("bdt_rt_")

    @cached_property
    def individuals(self) -> Table:
        return self.table("bdt_art_")

    @cached_property
    def pkh(self) -> list[Table]:
        return [self.table(stem) for stem in PKH_FILES]

    @cached_property
    def fkp(self) -> Table:
        return self.table("fkp_sls_")

    def defect_count(self, table: str, kind: str) -> int:
        (entry,) = [
            d for d in self.manifest["defects"] if d["table"] == table and d["kind"] == kind
        ]
        return entry["count"]

    def defect_lines(self, file_name: str) -> set[int]:
        return {int(d["line"]) for d in self.defects if d["file"] == file_name and d["line"] != "1"}

    def clean_individuals(self) -> list[list[str]]:
        """Individual rows that the defect list does not mention."""
        dirty = self.defect_lines(self.individuals.name)
        first = self.individuals.first_line
        return [r for i, r in enumerate(self.individuals.rows) if i + first not in dirty]


@pytest.fixture(scope="module")
def sample(generated_sample: Path) -> Dataset:
    return Dataset(generated_sample)


@pytest.fixture(scope="module")
def dirty(generated_dirty: Path) -> Dataset:
    return Dataset(generated_dirty)


@pytest.fixture(scope="module")
def small(generated_small: Path) -> Dataset:
    return Dataset(generated_small)


def kecamatan_prefixes() -> set[str]:
    table = pd.read_csv(REFERENCE_DIR / "kemendagri" / "wilayah_2016.csv", dtype=str)
    return set(table.loc[table["level"] == "kecamatan", "kode"].str.replace(".", "", regex=False))


def code_lists(level: str) -> dict[str, set[str]]:
    table = pd.read_csv(PROJECT_DIR / "seeds" / "bdt_codelists.csv", dtype=str)
    table = table[table["level"] == level]
    codes = {v: set(g["code"]) for v, g in table.groupby("variable")}
    if "ada_kartu_identitas" in codes:  # bit flags: any sum of 1, 2, 4, 8
        codes["ada_kartu_identitas"] = {str(v) for v in range(16)}
    return codes


def age_on(birth: dt.date, on: dt.date = REFERENCE_DATE) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def nik_date(nik: str) -> tuple[bool, int, int, int]:
    """(female, day, month, yy) encoded in a 16-digit NIK."""
    dd = int(nik[6:8])
    return dd > 40, dd - 40 if dd > 40 else dd, int(nik[8:10]), int(nik[10:12])


# ---------------------------------------------------------------------------------------------
# Files, sizes, headers


def test_sample_has_the_exact_sizes_and_files(sample: Dataset) -> None:
    names = sorted(p.name for p in sample.folder.iterdir())
    assert names == sorted(
        [
            "bdt_rt_1272.csv",
            "bdt_art_1272.csv",
            "fkp_sls_1272.csv",
            "manifest.json",
            "manifest_defects.csv",
            *[f"{s}.csv" for s in PKH_FILES],
        ]
    )
    assert len(sample.households.rows) == 14_500
    assert len(sample.individuals.rows) == 67_686
    assert sample.manifest["facts"]["households"] == 14_500
    assert sample.manifest["facts"]["individuals"] == 67_686


def test_manifest_files_match_the_written_files(sample: Dataset) -> None:
    tables = {
        "bdt_rt": "bdt_households",
        "bdt_art": "bdt_individuals",
        "pkh": "pkh_payments",
        "fkp": "fkp_sls_results",
    }
    for entry in sample.manifest["files"]:
        path = sample.folder / entry["path"]
        data = path.read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["rows"] == data.count(b"\n") - 1  # one record per physical line
        assert entry["table"] == next(t for p, t in tables.items() if entry["path"].startswith(p))
        assert raw_table(entry["table"]).matches(entry["path"])


def test_headers_follow_the_contract(sample: Dataset) -> None:
    for table, identifier in (
        (sample.households, "bdt_households"),
        (sample.individuals, "bdt_individuals"),
        (sample.fkp, "fkp_sls_results"),
        *((t, "pkh_payments") for t in sample.pkh),
    ):
        expected = list(raw_table(identifier).headers())
        assert [h.lower() for h in table.header] == [h.lower() for h in expected]
        changed = sum(a != b for a, b in zip(table.header, expected, strict=True))
        if identifier.startswith("bdt"):
            assert changed == sample.defect_count(identifier, "header_case_variant") >= 1
        else:
            assert changed == 0


def test_one_record_per_physical_line(sample: Dataset) -> None:
    data = sample.file("bdt_art_").read_bytes()
    assert b"\r\n" not in data
    for line in data.split(b"\n")[:-1]:
        assert line.count(b'"') % 2 == 0  # quotes never span lines


# ---------------------------------------------------------------------------------------------
# Defects: every manifest count recounted from the files


# The columns of the questionnaire's rest (issue #17) whose NULL strings are counted apart, and
# the member's own-business columns.
QUESTIONNAIRE_REST = {
    "bdt_individuals": QUESTIONNAIRE_MEMBER_COLUMNS,
    "bdt_households": ("ada_hp", "sta_art_usaha"),
}
# Defects counted in cells: a row may hold several of one kind.
CELL_KINDS = ("null_literal", "questionnaire_null_literal")
BUSINESS_COLUMNS = ("lapangan_usahaart", "jumlah_pekerja", "lokasi_usaha", "omset_usaha")


def count_skip_rule_breaches(ind: Table) -> int:
    """Rows answering what the form's skip rules leave out, as the generator injects them: a KB
    answer of a man whose NIK says male too (a flipped sex is another defect), or an own
    business of a member who did not work (Sta_Bekerja 2)."""
    breaches = 0
    for row in ind.rows:
        value = {c: row[ind.index[c]].strip() for c in ("jnskel", "sta_kb", "sta_bekerja", "nik")}
        nik_male = re.fullmatch(r"\d{16}", value["nik"]) is not None and int(value["nik"][6:8]) < 41
        man = value["jnskel"] == "1" and nik_male
        kb = value["sta_kb"] not in ("", "NULL")
        business = any(row[ind.index[c]].strip() not in ("", "NULL") for c in BUSINESS_COLUMNS)
        breaches += (man and kb) or (value["sta_bekerja"] == "2" and business)
    return breaches


def recount_defects(ds: Dataset) -> dict[tuple[str, str], int]:
    found: Counter = Counter()
    ind, hh = ds.individuals, ds.households
    niks = ind.col("nik")
    idbdt = ind.col("idbdt")
    found["bdt_individuals", "nik_15_digits"] = sum(bool(re.fullmatch(r"\d{15}", n)) for n in niks)
    found["bdt_individuals", "nik_letters"] = sum(
        len(n) == 16 and bool(re.search(r"[OIlS]", n)) and bool(re.fullmatch(r"[\dOIlS]+", n))
        for n in niks
    )
    found["bdt_individuals", "nik_scientific_notation"] = sum(
        bool(re.fullmatch(r"\d\.\d+E\+\d+", n)) for n in niks
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for n, h in zip(niks, idbdt, strict=True):
        if re.fullmatch(r"\d{16}", n):
            groups[n].append(h)
    for members in groups.values():
        if len(members) > 1:
            kind = "within_household" if len(set(members)) == 1 else "across_households"
            found["bdt_individuals", f"nik_duplicate_{kind}"] += len(members) - 1
    sex, birth = ind.col("jnskel"), ind.col("tgllahir")
    for n, s, b in zip(niks, sex, birth, strict=True):
        if len(groups.get(n, ())) != 1:
            continue
        female, day, month, yy = nik_date(n)
        found["bdt_individuals", "nik_sex_mismatch"] += female != (s.strip() == "2")
        if b != "0000-00-00":
            date = dt.date.fromisoformat(b)
            found["bdt_individuals", "nik_birthdate_mismatch"] += (day, month, yy) != (
                date.day,
                date.month,
                date.year % 100,
            )
    found["bdt_individuals", "birthdate_zero"] = birth.count("0000-00-00")

    hh_ids = set(hh.col("idbdt"))
    orphan_rows = [h for h in idbdt if h not in hh_ids]
    found["bdt_individuals", "orphan_individual"] = len(orphan_rows)
    heads: Counter = Counter()
    for h, rel in zip(idbdt, ind.col("hub_krt"), strict=True):
        heads[h] += rel.strip() == "1"
    found["bdt_individuals", "household_no_head"] = sum(heads[h] == 0 for h in hh_ids)
    found["bdt_individuals", "household_two_heads"] = sum(heads[h] == 2 for h in hh_ids)

    found["bdt_individuals", "skip_rule_breach"] = count_skip_rule_breaches(ind)
    for table, identifier, level in ((ind, "bdt_individuals", "art"), (hh, "bdt_households", "rt")):
        codes = code_lists(level)
        coded = [(table.index[v], c) for v, c in codes.items() if v in table.index]
        kec, desa = table.index["kdkec"], table.index["kddesa"]
        later = {table.index[c] for c in QUESTIONNAIRE_REST[identifier]}
        for row in table.rows:
            nulls = [i for i, v in enumerate(row) if v == "NULL"]
            found[identifier, "null_literal"] += sum(i not in later for i in nulls)
            found[identifier, "questionnaire_null_literal"] += sum(i in later for i in nulls)
            found[identifier, "code_out_of_range"] += any(
                row[i].strip() not in ("", "NULL") and row[i].strip() not in c for i, c in coded
            )
            found[identifier, "region_code_no_leading_zeros"] += (
                len(row[kec]) < 3 or len(row[desa]) < 3
            )
            found[identifier, "trailing_spaces"] += any(v.endswith(" ") for v in row)
            found[identifier, "stray_cr"] += any(v.endswith("\r") for v in row)
        expected = raw_table(identifier).headers()
        found[identifier, "header_case_variant"] = sum(
            a != b for a, b in zip(table.header, expected, strict=True)
        )
    for table in ds.pkh:
        found["pkh_payments", "tgl_zero"] += table.col("tgl_salur").count("0000-00-00")
        found["pkh_payments", "trailing_spaces"] += sum(
            any(v.endswith(" ") for v in row) for row in table.rows
        )
    return found


@pytest.mark.parametrize("name", ["sample", "dirty"])
def test_manifest_defect_counts_are_recounted_from_the_files(
    name: str, request: pytest.FixtureRequest
) -> None:
    ds: Dataset = request.getfixturevalue(name)
    found = recount_defects(ds)
    for table, kinds in ALL_KINDS.items():
        for kind in kinds:
            count = ds.defect_count(table, kind)
            assert found[table, kind] == count, (table, kind)
            if name == "sample":
                assert count >= 1, f"{table}.{kind} absent from the default sample"
    facts = ds.manifest["facts"]
    hh_ids = set(ds.households.col("idbdt"))
    orphans = {h for h in ds.individuals.col("idbdt") if h not in hh_ids}
    assert len(orphans) == facts["orphan_households_dropped"]
    assert found["bdt_individuals", "orphan_individual"] == facts["orphan_individuals"]


@pytest.mark.parametrize("name", ["sample", "dirty"])
def test_defect_list_points_at_the_rows_and_holds_no_personal_data(
    name: str, request: pytest.FixtureRequest
) -> None:
    ds: Dataset = request.getfixturevalue(name)
    key_column = {"bdt_individuals": "idartbdt", "bdt_households": "idbdt", "pkh_payments": "idpkh"}
    tables = {t.name: t for t in (ds.households, ds.individuals, *ds.pkh)}
    counted = Counter((d["table"], d["kind"]) for d in ds.defects)
    for entry in ds.manifest["defects"]:
        assert counted[entry["table"], entry["kind"]] == entry["count"]
    rows_with: Counter = Counter()
    cell_rows: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in ds.defects:
        table = tables[d["file"]]
        if d["kind"] == "header_case_variant":
            assert d["line"] == "1" and d["key"] == ""
            continue
        row = table.rows[int(d["line"]) - table.first_line]
        assert row[table.index[key_column[d["table"]]]] == d["key"]
        if d["kind"] not in CELL_KINDS:
            rows_with[d["file"], d["line"]] += 1
        else:
            cell_rows[d["file"], d["line"]].add(d["kind"])
        for header in d["column"].split("|"):
            assert normalise_header(header) in table.index
    assert max(rows_with.values()) == 1  # a row carries at most one row-level defect
    # ... and cell-level NULL strings of one kind only, on a row without a row-level defect
    assert all(len(kinds) == 1 for kinds in cell_rows.values())
    assert not set(cell_rows) & set(rows_with)
    text = (ds.folder / "manifest_defects.csv").read_text() + (
        ds.folder / "manifest.json"
    ).read_text()
    niks = set(ds.individuals.col("nik"))
    names = set(ds.individuals.col("nama"))
    cells = {c for d in ds.defects for c in d.values()}
    assert not cells & niks and not cells & names
    assert not any(n in text for n in list(niks)[:2000] if re.fullmatch(r"\d{16}", n))


def test_dirt_can_be_switched_off(tmp_path: Path) -> None:
    ds = Dataset(run_generator(tmp_path / "raw", "--households", "200", "--dirt-scale", "0"))
    assert ds.defects == []
    assert all(d["count"] == 0 for d in ds.manifest["defects"])
    assert ds.households.header == list(raw_table("bdt_households").headers())
    assert len(ds.households.rows) == 200
    assert len(ds.individuals.rows) == round(200 * 67686 / 14500)
    ds2 = Dataset(
        run_generator(
            tmp_path / "raw2",
            "--households",
            "200",
            "--dirt-scale",
            "0",
            "--dirt",
            "nik_letters=0.05",
        )
    )
    assert {d["kind"] for d in ds2.defects} == {"nik_letters"}
    assert len(ds2.defects) == round(0.05 * len(ds2.individuals.rows))


# ---------------------------------------------------------------------------------------------
# Identifiers


@pytest.mark.parametrize("name", ["sample", "dirty"])
def test_clean_niks_are_consistent_unique_and_real(
    name: str, request: pytest.FixtureRequest
) -> None:
    ds: Dataset = request.getfixturevalue(name)
    ind = ds.individuals
    i = ind.index
    prefixes = kecamatan_prefixes()
    clean = ds.clean_individuals()
    assert len(clean) > 0.8 * len(ind.rows)
    seen: set[str] = set()
    kk_of_family: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in clean:
        nik, kk = row[i["nik"]], row[i["nokk"]]
        assert re.fullmatch(r"\d{16}", nik) and re.fullmatch(r"\d{16}", kk)
        assert nik[:6] in prefixes and kk[:6] in prefixes
        assert nik[12:] != "0000" and kk[12:] != "0000"
        female, day, month, yy = nik_date(nik)
        birth = dt.date.fromisoformat(row[i["tgllahir"]])
        assert (day, month, yy) == (birth.day, birth.month, birth.year % 100)
        assert female == (row[i["jnskel"]] == "2")
        assert int(row[i["umur"]]) == age_on(birth)
        assert nik not in seen
        seen.add(nik)
        kk_of_family[row[i["idbdt"]], row[i["nuk"]]].add(kk)
        dt.date(2000 + int(kk[10:12]), int(kk[8:10]), int(kk[6:8]))  # a real issue date
    assert all(len(v) == 1 for v in kk_of_family.values())
    kks = [next(iter(v)) for v in kk_of_family.values()]
    assert len(set(kks)) == len(kks)


def test_about_eight_percent_have_a_nik_issued_elsewhere(sample: Dataset) -> None:
    i = sample.individuals.index
    crosswalk = pd.read_csv(PROJECT_DIR / "seeds" / "region_crosswalk_tanjungbalai.csv", dtype=str)
    kec = crosswalk[crosswalk["level"] == "kec"]
    home = dict(zip(kec["bps_code"], kec["kemendagri_code"].str.replace(".", ""), strict=True))
    rows = sample.clean_individuals()
    elsewhere = sum(home["12" + r[i["kdkab"]] + r[i["kdkec"]]] != r[i["nik"]][:6] for r in rows)
    assert 0.05 < elsewhere / len(rows) < 0.11


@pytest.mark.parametrize("name", ["sample", "dirty"])
def test_ids_have_the_bdt_structure(name: str, request: pytest.FixtureRequest) -> None:
    ds: Dataset = request.getfixturevalue(name)
    hh = ds.households.frame()
    assert hh["idbdt"].str.fullmatch(r"\d{16}").all()
    assert hh["idbdt"].is_unique
    codes = (
        hh["kdprop"]
        + hh["kdkab"].str.zfill(2)
        + hh["kdkec"].str.zfill(3)
        + hh["kddesa"].str.zfill(3)
    )
    assert (hh["idbdt"].str[:10] == codes).all()
    assert (hh["idbdt"].str[10:] == hh["ruta6"]).all()
    ind = ds.individuals.frame()
    assert (ind["idartbdt"].str[:16] == ind["idbdt"]).all()
    member = ind["idartbdt"].str[16:].astype(int)
    expected = ind.groupby("idbdt", sort=False).cumcount() + 1
    assert (member == expected).all()
    assert ind["idartbdt"].is_unique
    sizes = ind.groupby("idbdt").size()
    families = ind.groupby("idbdt")["nuk"].agg(lambda s: max(int(v) for v in s))
    kept = hh.set_index("idbdt")
    assert (kept["jumlah_art"].astype(int) == sizes.reindex(kept.index)).all()
    assert (kept["jumlah_keluarga"].astype(int) == families.reindex(kept.index)).all()
    no_head = {d["key"][:16] for d in ds.defects if d["kind"].startswith("household_")}
    head_rows = ind[(member == 1) & ~ind["idbdt"].isin(no_head)]
    assert (head_rows["hub_krt"] == "1").all()


# ---------------------------------------------------------------------------------------------
# Realism


@pytest.fixture(scope="module")
def households_by_desil(sample: Dataset) -> pd.DataFrame:
    hh = sample.households.frame()
    percentile = pd.to_numeric(hh["percentile"], errors="coerce")
    hh["desil"] = ((percentile + 9) // 10).where(percentile <= 40, 0).fillna(0).astype(int)
    hh["size"] = hh["jumlah_art"].astype(int)
    return hh


def test_desil_shares_follow_the_profile(
    households_by_desil: pd.DataFrame, sample: Dataset
) -> None:
    share = households_by_desil["desil"].value_counts(normalize=True)
    for desil, expected in {1: 0.30, 2: 0.26, 3: 0.22, 4: 0.18, 0: 0.04}.items():
        assert abs(share[desil] - expected) < 0.02, desil
    percentile = households_by_desil["percentile"]
    assert (percentile == "").mean() == pytest.approx(0.02, abs=0.01)
    ranked = pd.to_numeric(percentile[percentile != ""])
    assert ranked.between(1, 50).all()
    counts = households_by_desil["desil"].value_counts()
    facts = sample.manifest["facts"]["households_per_desil"]
    assert [facts[f"desil_{d}"] for d in (1, 2, 3, 4)] == [counts[d] for d in (1, 2, 3, 4)]


def test_poorer_households_are_larger_and_worse_off(households_by_desil: pd.DataFrame) -> None:
    hh = households_by_desil
    assert hh["size"].sum() + 76 > 67_000
    by = hh.groupby("desil")

    def share(column: str, *codes: str) -> pd.Series:
        return hh[column].str.strip().isin(codes).groupby(hh["desil"]).mean()

    size = by["size"].mean()
    assert size[1] > size[4] + 1.0
    assert abs(hh["size"].mean() - 67_686 / 14_500) < 0.02
    for column, codes, margin in (
        ("lantai", ("8", "9"), 0.10),  # low-quality wood or earth floor
        ("dinding", ("3", "4", "5", "6"), 0.10),
        ("bb_masak", ("5", "8"), 0.10),  # kerosene or firewood
        ("fasbab", ("2", "3", "4"), 0.15),  # no own toilet
        ("sumber_airminum", ("7", "9", "10", "11"), 0.03),
        ("sta_kis", ("1",), 0.2),
        ("adapkh", ("1",), 0.2),
        ("sta_rastra", ("1",), 0.1),
    ):
        s = share(column, *codes)
        assert s[1] > s[4] + margin, column
    for column, margin in (
        ("ada_lemari_es", 0.15),
        ("ada_motor", 0.2),
        ("ada_tabung_gas", 0.05),
        ("ada_emas", 0.03),
    ):
        s = share(column, "1")
        assert s[1] + margin < s[4], column
    no_pln = share("sumber_penerangan", "2", "3") + share("daya", "1")
    assert no_pln[1] > no_pln[4] + 0.1
    floor = pd.to_numeric(hh["luas_lantai"]).groupby(hh["desil"]).median()
    assert floor[1] < floor[4]


def test_a_coastal_fishing_town(sample: Dataset, households_by_desil: pd.DataFrame) -> None:
    ind = sample.individuals.frame()
    sectors = ind.loc[ind["sta_bekerja"] == "1", "lapangan_usaha"].value_counts(normalize=True)
    assert set(sectors.index[:4]) == {"4", "12", "14", "11"}
    assert sectors.get("6", 0) < 0.01
    hh = households_by_desil
    assert (hh["ada_perahu"] == "1").mean() > 0.02
    livestock = hh[["jumlah_sapi", "jumlah_kerbau", "jumlah_kambing"]].apply(pd.to_numeric)
    assert (livestock.sum(axis=1) > 0).mean() < 0.05


def test_codes_come_from_the_code_lists_on_clean_rows(sample: Dataset) -> None:
    for table, level in ((sample.households, "rt"), (sample.individuals, "art")):
        dirty = sample.defect_lines(table.name)
        for variable, codes in code_lists(level).items():
            if variable not in table.index:
                continue
            i = table.index[variable]
            values = {r[i] for n, r in enumerate(table.rows) if n + 2 not in dirty}
            assert values - {""} <= codes, variable


@pytest.fixture(scope="module")
def people(sample: Dataset) -> pd.DataFrame:
    rows = sample.clean_individuals()
    frame = pd.DataFrame(rows, columns=[normalise_header(h) for h in sample.individuals.header])
    frame["age"] = frame["umur"].astype(int)
    return frame


def test_age_and_sex_pyramid(people: pd.DataFrame) -> None:
    age = people["age"]
    assert 0.29 <= (age < 15).mean() <= 0.36
    assert 0.05 <= (age >= 65).mean() <= 0.08
    males, females = (people["jnskel"] == "1").sum(), (people["jnskel"] == "2").sum()
    assert 0.94 <= males / females <= 1.06
    heads = people[people["hub_krt"] == "1"]
    female_heads = heads["jnskel"] == "2"
    assert 0.14 <= female_heads.mean() <= 0.23
    assert female_heads[heads["age"] >= 60].mean() > female_heads[heads["age"] < 45].mean()
    assert heads.loc[female_heads, "sta_kawin"].eq("4").mean() > 0.5  # mostly widows
    spouses = people[people["hub_krt"] == "2"]
    assert (spouses["sta_kawin"] == "2").all()
    relations = set(people["hub_krt"])
    assert {"1", "2", "3", "4", "5", "6", "8"} <= relations


def test_school_work_and_health_follow_age(people: pd.DataFrame, sample: Dataset) -> None:
    age = people["age"]
    in_school = people["partisipasi_sekolah"] == "1"
    assert in_school[age.between(7, 12)].mean() > 0.94
    assert 0.80 < in_school[age.between(13, 15)].mean() < 0.95
    assert 0.50 < in_school[age.between(16, 18)].mean() < 0.80
    never = people["partisipasi_sekolah"] == "0"
    assert (
        (people.loc[never, ["pendidikan_tertinggi", "kelas_tertinggi", "ijazah_tertinggi"]] == "")
        .all()
        .all()
    )
    assert (people.loc[~never, "pendidikan_tertinggi"] != "").all()
    primary = people[in_school & age.between(7, 12)]
    assert primary["pendidikan_tertinggi"].isin(["1", "3"]).all()
    assert (primary["kelas_tertinggi"].astype(int) <= primary["age"] - 5).all()
    level = pd.to_numeric(people["pendidikan_tertinggi"], errors="coerce")
    diploma = pd.to_numeric(people["ijazah_tertinggi"], errors="coerce")
    assert (diploma[level <= 3] <= 1).all()
    assert (diploma[level <= 6] <= 2).all()
    assert (level[age < 12].dropna() <= 3).all()
    assert (people.loc[age < 5, "sta_bekerja"] == "").all()
    working = people["sta_bekerja"] == "1"
    assert (
        (people.loc[working, ["lapangan_usaha", "status_pekerjaan", "jumlah_jamkerja"]] != "")
        .all()
        .all()
    )
    # the job questions are skipped for those who did not work, the work question under 5
    assert (
        (people.loc[~working, ["lapangan_usaha", "status_pekerjaan", "jumlah_jamkerja"]] == "")
        .all()
        .all()
    )
    assert (people.loc[age >= 5, "sta_bekerja"] != "").all()
    # the pregnancy question is asked of women ever married aged 10-49, and only of them
    asked = (
        (people["jnskel"] == "2") & people["sta_kawin"].isin(["2", "3", "4"]) & age.between(10, 49)
    )
    assert (people.loc[~asked, "sta_hamil"] == "").all()
    assert (people.loc[asked, "sta_hamil"] != "").all() and asked.sum() > 100
    child = age.between(10, 17)
    assert 0.01 < working[child].mean() < 0.10
    assert working[people["hub_krt"] == "1"].mean() > 0.7
    pregnant = people["sta_hamil"] == "1"
    assert (people.loc[pregnant, "jnskel"] == "2").all() and people.loc[pregnant, "age"].between(
        15, 49
    ).all()
    assert (people.loc[pregnant, "sta_kawin"] == "2").all()
    assert 0.005 < pregnant[(people["jnskel"] == "2") & age.between(15, 49)].mean() < 0.08
    assert 0.01 < (people["jenis_cacat"] != "0").mean() < 0.03
    chronic = people["penyakit_kronis"] != "0"
    assert chronic[age >= 60].mean() > 2 * chronic[age.between(20, 39)].mean()
    assert (people.loc[age < 10, "sta_kawin"] == "1").all()
    dates = pd.to_datetime(people["tgllahir"])
    assert (dates <= pd.Timestamp(REFERENCE_DATE)).all()
    assert people["nama"].str.fullmatch(r"[A-Z][A-Z .'-]*[A-Z]").all()


def test_the_rest_of_the_questionnaire_follows_its_skip_rules_and_welfare(
    people: pd.DataFrame, households_by_desil: pd.DataFrame
) -> None:
    """Issue #17: businesses of members who work, KB of married women 10-49, school status of
    pupils, the household's phone, building area and sta_art_usaha, recomputed from the files."""
    age = people["age"]
    business = ["lapangan_usahaart", "jumlah_pekerja", "lokasi_usaha", "omset_usaha"]
    runs = people["lapangan_usahaart"] != ""
    # all four business answers together, and only for members who worked
    assert ((people[business] != "").eq(runs, axis=0)).all().all()
    assert (people.loc[runs, "sta_bekerja"] == "1").all()
    workers = people["sta_bekerja"] == "1"
    assert 0.10 < runs[workers].mean() < 0.50
    own_account = people["status_pekerjaan"].isin(["1", "2", "3"])
    assert runs[workers & own_account].mean() > 5 * runs[workers & ~own_account].mean()
    assert (pd.to_numeric(people.loc[runs, "jumlah_pekerja"]) >= 1).all()
    # KB asked of married women aged 10-49 only, a method for every user, none for the pregnant
    asked = (people["jnskel"] == "2") & (people["sta_kawin"] == "2") & age.between(10, 49)
    assert (people.loc[~asked, ["sta_kb", "alat_kb"]] == "").all().all()
    assert (people.loc[asked, "sta_kb"] != "").all() and asked.sum() > 100
    uses = people["sta_kb"] == "1"
    assert ((people["alat_kb"] != "") == uses).all()
    assert not (uses & (people["sta_hamil"] == "1")).any()
    assert 0.45 < uses[asked & age.between(15, 49)].mean() < 0.70
    methods = people.loc[uses, "alat_kb"].value_counts(normalize=True)
    assert methods.index[0] == "4"  # injectable, the most used method in Indonesia
    # school status of pupils only; madrasah mostly private, SD mostly public
    in_school = people["partisipasi_sekolah"] == "1"
    assert ((people["sta_sekolah"] != "") == in_school).all()
    pupils = people[in_school]
    private = (pupils["sta_sekolah"] == "2").groupby(pupils["pendidikan_tertinggi"]).mean()
    assert private["3"] > 0.6 and private["1"] < 0.25
    # households: phones more common among the less poor, building area at least the floor area
    hh = households_by_desil
    phone = (hh["ada_hp"] == "1").groupby(hh["desil"]).mean()
    assert phone[1] + 0.1 < phone[4]
    building = pd.to_numeric(hh["luas_bangunan"], errors="coerce")
    floor = pd.to_numeric(hh["luas_lantai"], errors="coerce")
    both = building.notna() & floor.notna()
    assert (building[both] >= floor[both]).all()
    # sta_art_usaha says whether a member runs a business (households with clean rows only)
    with_business = set(people.loc[runs, "idbdt"])
    clean = hh[hh["idbdt"].isin(set(people["idbdt"])) & hh["sta_art_usaha"].isin(["1", "2"])]
    said = clean["sta_art_usaha"] == "1"
    assert (said == clean["idbdt"].isin(with_business))[~said].all()
    assert said.mean() > 0.2


def batak_marga() -> set[str]:
    """Common marga (family names) of the Toba, Mandailing, Angkola, Simalungun, Karo and Pakpak
    Batak, written down for the tests independently of the generator's name pools."""
    with (TEST_DATA_DIR / "batak_marga.csv").open(encoding="utf-8", newline="") as handle:
        return {row["marga"] for row in csv.DictReader(handle)}


def test_batak_households_pass_their_marga_to_their_children(people: pd.DataFrame) -> None:
    """Tanjung Balai is a Malay town with a large Batak minority: about a third of the people
    carry a Batak marga as their last name, and a Batak head's children carry the head's."""
    marga = batak_marga()
    last_name = people["nama"].str.split().str[-1]
    assert 0.25 < last_name.isin(marga).mean() < 0.45
    heads = people[people["hub_krt"] == "1"].drop_duplicates("idbdt")
    head_last_name = people["idbdt"].map(heads.set_index("idbdt")["nama"].str.split().str[-1])
    children = people["hub_krt"] == "3"
    of_batak_head = children & head_last_name.isin(marga)
    assert of_batak_head.sum() > 1000
    assert (last_name[of_batak_head] == head_last_name[of_batak_head]).mean() > 0.9
    of_other_head = children & head_last_name.notna() & ~head_last_name.isin(marga)
    assert last_name[of_other_head].isin(marga).mean() < 0.05


def test_member_program_flags_agree_with_the_household(
    people: pd.DataFrame, sample: Dataset
) -> None:
    hh = sample.households.frame().set_index("idbdt")
    joined = people.join(hh[["sta_kks", "sta_pkh", "sta_rastra", "sta_kis", "sta_kip"]], on="idbdt")
    joined = joined.dropna(subset=["sta_kks"])
    joined = joined[
        ~joined[["sta_kks", "sta_pkh", "sta_rastra", "sta_kis", "sta_kip"]]
        .isin(["NULL"])
        .any(axis=1)
    ]
    assert (joined["ada_kks"] == joined["sta_kks"]).all()
    assert (joined["ada_pkh"] == joined["sta_pkh"]).all()
    assert (joined["ada_rastra"] == joined["sta_rastra"]).all()
    assert (joined.loc[joined["sta_kis"] == "2", "ada_pbi"] == "2").all()
    kip = joined[joined["ada_kip"] == "1"]
    assert (kip["sta_kip"] == "1").all() and kip["age"].between(6, 21).all()
    assert (kip["partisipasi_sekolah"] == "1").all()


# ---------------------------------------------------------------------------------------------
# PKH


@pytest.fixture(scope="module")
def pkh(sample: Dataset) -> pd.DataFrame:
    frames = []
    for table in sample.pkh:
        f = table.frame()
        f["file"] = table.name
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def test_pkh_families_outside_the_bdt(pkh: pd.DataFrame, sample: Dataset) -> None:
    niks = set(sample.individuals.col("nik"))
    families = pkh.groupby("idpkh").agg(idbdt=("idbdt", "first"), nik=("nik_penerima", "first"))
    outside = families[(families["idbdt"] == "") & ~families["nik"].isin(niks)]
    assert len(outside) == round(14_500 * 815_569 / 25_774_205) == 459
    assert outside["nik"].str.fullmatch(r"\d{16}").all()
    assert outside["nik"].str[:6].isin(kecamatan_prefixes()).all()
    assert outside["nik"].is_unique
    blank_in_bdt = families[(families["idbdt"] == "") & families["nik"].isin(niks)]
    in_bdt = families[families["idbdt"] != ""]
    assert 0.05 < len(blank_in_bdt) / (len(blank_in_bdt) + len(in_bdt)) < 0.15
    facts = sample.manifest["facts"]["pkh_families"]
    assert facts == {
        "in_bdt_with_idbdt": len(in_bdt),
        "in_bdt_without_idbdt": len(blank_in_bdt),
        "non_bdt": len(outside),
    }
    codes = pkh["kdprop"] + pkh["kdkab"] + pkh["kdkec"] + pkh["kddesa"]
    seed = pd.read_csv(PROJECT_DIR / "seeds" / "bps_regions_tanjungbalai.csv", dtype=str)
    assert codes.isin(set(seed.loc[seed["level"] == "desa", "bps_code"])).all()


def test_pkh_recipients_are_mothers_of_bdt_households(pkh: pd.DataFrame, sample: Dataset) -> None:
    ind = sample.individuals.frame()
    person = ind.drop_duplicates("nik").set_index("nik")
    linked = pkh[pkh["idbdt"] != ""].drop_duplicates("idpkh")
    recipient = person.reindex(linked["nik_penerima"])
    assert (recipient["idbdt"].to_numpy() == linked["idbdt"].to_numpy()).all()
    assert (recipient["jnskel"].str.strip() == "2").mean() > 0.9
    assert recipient["hub_krt"].isin(["1", "2"]).all()
    assert pkh.groupby("idpkh")["nik_penerima"].nunique().eq(1).all()
    assert pkh.groupby("idpkh")["idbdt"].nunique().eq(1).all()
    hh = sample.households.frame().set_index("idbdt")
    percentile = pd.to_numeric(hh.loc[linked["idbdt"], "percentile"], errors="coerce")
    assert (percentile <= 20).mean() > 0.75


def test_pkh_stages_amounts_and_dates(pkh: pd.DataFrame) -> None:
    assert set(pkh["status"]) == {"SALUR", "GAGAL SALUR", "DITANGGUHKAN"}
    assert (pkh["tahun"] + "_tahap" + pkh["tahap"] == pkh["file"].str[4:-4]).all()
    amount = pkh["nominal"].astype(int)
    y2016 = pkh["tahun"] == "2016"
    assert (amount[y2016] % 25_000 == 0).all() and amount[y2016].between(250_000, 950_000).all()
    assert amount[y2016].nunique() > 5
    assert (amount[~y2016 & (pkh["tahap"] != "4")] == 500_000).all()
    assert (amount[~y2016 & (pkh["tahap"] == "4")] == 390_000).all()
    paid = pkh["status"] == "SALUR"
    dates = pd.to_datetime(pkh.loc[paid, "tgl_salur"])
    assert (dates.dt.year.astype(str) == pkh.loc[paid, "tahun"]).all()
    window = {"1": (2, 3), "2": (5, 6), "3": (8, 9), "4": (11, 12)}
    months = pkh.loc[paid, "tahap"].map(window)
    assert all(lo <= m <= hi for m, (lo, hi) in zip(dates.dt.month, months, strict=True))
    assert pkh.loc[~paid, "tgl_salur"].isin(["", "0000-00-00"]).all()
    stage = pkh["file"].map({f"{s}.csv": i for i, s in enumerate(PKH_FILES)})
    spans = stage.groupby(pkh["idpkh"]).agg(["min", "max", "count"])
    gaps = spans["max"] - spans["min"] + 1 - spans["count"]
    assert (gaps > 0).mean() > 0.01  # absent from one list and back later
    assert ((spans["min"] == 0) & (spans["max"] < 7)).mean() > 0.03  # exits
    assert (spans["min"] > 0).mean() > 0.2  # entries after 2016 tahap 1
    assert (spans["count"] >= 3).mean() > 0.8
    assert (pkh["status"] == "DITANGGUHKAN").sum() > 0


def test_household_program_flags_agree_with_the_pkh_lists(
    pkh: pd.DataFrame, sample: Dataset
) -> None:
    ind = sample.individuals.frame().drop_duplicates("nik").set_index("nik")
    pkh = pkh.copy()
    pkh["household"] = pkh["idbdt"].where(
        pkh["idbdt"] != "", ind["idbdt"].reindex(pkh["nik_penerima"]).to_numpy()
    )
    in_2017 = pkh[pkh["tahun"] == "2017"].dropna(subset=["household"])
    idpkh = in_2017.drop_duplicates("household").set_index("household")["idpkh"]
    first = set(pkh.loc[pkh["file"] == "pkh_2016_tahap1.csv", "household"].dropna())
    hh = sample.households.frame().set_index("idbdt")
    listed_2017 = hh.index.isin(idpkh.index)
    assert ((hh["adapkh"] == "1") == listed_2017).mean() > 0.97
    assert ((hh["sta_pkh"] == "1") == hh.index.isin(list(first))).mean() > 0.95
    with_id = hh[hh["nopesertapkh"] != ""]
    assert (with_id["adapkh"] == "1").all()
    assert (with_id["nopesertapkh"] == idpkh.reindex(with_id.index)).mean() > 0.99
    for column in ("adapkh", "adakks2016", "adakks2017", "adapbi", "adabpnt"):
        assert set(hh[column]) - {"NULL"} <= {"0", "1"}


# ---------------------------------------------------------------------------------------------
# FKP


def test_fkp_results_are_consistent_with_the_bdt(sample: Dataset) -> None:
    fkp = sample.fkp.frame()
    prelist, added, total = (
        fkp[c].astype(int) for c in ("jumlah_prelist", "jumlah_tambahan", "jumlah")
    )
    assert (prelist + added == total).all()
    assert 0.03 <= added.sum() / total.sum() <= 0.12
    key = ["kdprop", "kdkab", "kdkec", "kddesa"]
    desa = fkp.groupby(key).size()
    assert len(desa) == 31 and desa.between(3, 12).all()
    assert fkp["nama_sls"].str.fullmatch(r"LINGKUNGAN [IVXL]+").all()
    hh = sample.households.frame()
    hh["kdkec"] = hh["kdkec"].str.zfill(3)
    hh["kddesa"] = hh["kddesa"].str.zfill(3)
    hh["nama_sls"] = hh["nama_sls"].str.strip()
    counts = hh.groupby([*key, "nama_sls"]).size()
    fkp_total = fkp.set_index([*key, "nama_sls"])["jumlah"].astype(int)
    assert counts.index.isin(fkp_total.index).all()
    assert (fkp_total.reindex(counts.index) >= counts).all()
    assert fkp_total.sum() > len(hh)


# ---------------------------------------------------------------------------------------------
# Runs, formats, options


def test_same_seed_same_bytes_other_seed_other_data(
    generated_dirty: Path, generated_small: Path, tmp_path: Path
) -> None:
    # Another process with another hash seed: nothing may depend on set or dict hashing.
    again = tmp_path / "again"
    args = ["--households", "3000", "--seed", "99", "--dirt-scale", "10", "--chunk-size", "1000"]
    subprocess.run(
        [sys.executable, "-m", "scripts.generate", "--out", str(again), "--no-progress", *args],
        check=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR), "PYTHONHASHSEED": "12345"},
    )
    assert sorted(p.name for p in again.iterdir()) == sorted(
        p.name for p in generated_dirty.iterdir()
    )
    for path in generated_dirty.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    other = run_generator(tmp_path / "other", "--households", "300", "--seed", "6")
    for name in ("bdt_rt_1272.csv", "bdt_art_1272.csv", "pkh_2017_tahap1.csv"):
        assert (other / name).read_bytes() != (generated_small / name).read_bytes()


def test_chunks_keep_counts_and_unique_ids(dirty: Dataset) -> None:
    assert dirty.manifest["arguments"]["chunk_size"] == 1000
    assert len(dirty.households.rows) == 3000
    assert len(dirty.individuals.rows) == round(3000 * 67686 / 14500)
    assert len(set(dirty.households.col("idbdt"))) == 3000
    for table in dirty.pkh:
        assert len(set(table.col("idpkh"))) == len(table.rows)


def normalised_rows(table: Table) -> list[list[str]]:
    """Rows with a cell-final line feed read back as the carriage return it was written as
    (XML turns a raw CR into LF)."""
    return [[v[:-1] + "\r" if v.endswith("\n") else v for v in row] for row in table.rows]


@pytest.mark.parametrize("file_format", ["parquet", "xlsx"])
def test_parquet_and_xlsx_hold_the_same_content_as_csv(
    file_format: str, small: Dataset, tmp_path: Path
) -> None:
    other = Dataset(
        run_generator(
            tmp_path / "raw", "--households", "300", "--seed", "5", "--format", file_format
        )
    )
    for stem in ("bdt_rt_", "bdt_art_", "fkp_sls_", *PKH_FILES):
        a, b = small.table(stem), other.table(stem)
        assert other.file(stem).suffix == f".{file_format}"
        assert b.header == a.header
        assert normalised_rows(b) == a.rows, stem
    shift = 1 if file_format == "parquet" else 0
    lines = [
        (d["kind"], int(d["line"]) + (shift if d["kind"] != "header_case_variant" else 0))
        for d in other.defects
    ]
    assert lines == [(d["kind"], int(d["line"])) for d in small.defects]
    if file_format == "xlsx":
        again = run_generator(
            tmp_path / "again", "--households", "300", "--seed", "5", "--format", "xlsx"
        )
        assert (again / "bdt_rt_1272.xlsx").read_bytes() == other.file("bdt_rt_").read_bytes()


def test_csv_variants_semicolon_bom_crlf(small: Dataset, tmp_path: Path) -> None:
    folder = run_generator(
        tmp_path / "raw",
        "--households",
        "300",
        "--seed",
        "5",
        "--delimiter",
        ";",
        "--bom",
        "--crlf",
    )
    data = (folder / "bdt_art_1272.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfIDARTBDT;")
    assert data.count(b"\r\n") == len(small.individuals.rows) + 1
    assert data.replace(b"\r\n", b"").count(b"\n") == 0
    variant = Dataset(folder, delimiter=";")
    for stem in ("bdt_rt_", "bdt_art_", "fkp_sls_", "pkh_2017_tahap2"):
        assert variant.table(stem).rows == small.table(stem).rows
        assert variant.table(stem).header == small.table(stem).header
    assert variant.manifest["arguments"]["delimiter"] == ";"


def test_values_with_special_characters_are_quoted_and_nothing_else(sample: Dataset) -> None:
    text = sample.file("bdt_rt_").read_bytes().decode("utf-8")
    quoted = re.findall(r'"([^"]*)"', text)
    assert quoted and all(v.endswith("\r") for v in quoted)


def test_regions_spread_households_over_the_country(generated_national: Path) -> None:
    ds = Dataset(generated_national)
    assert ds.households.name == "bdt_rt_national.csv"
    assert ds.fkp.name == "fkp_sls_national.csv"
    hh = ds.households.frame()
    villages = pd.read_csv(NATIONAL_REGIONS / "villages.csv", dtype=str)
    codes = hh["idbdt"].str[:10]
    assert codes.isin(set(villages["kode_desa"])).all()
    assert hh["kdprop"].nunique() >= 20
    assert codes.nunique() > 2000
    prefixes = kecamatan_prefixes()
    clean = ds.clean_individuals()
    nik = ds.individuals.index["nik"]
    assert all(r[nik][:6] in prefixes for r in clean)
    # a NIK prefix matches the province of residence for most people
    kdprop = ds.individuals.index["kdprop"]
    same_province = sum(r[nik][:2] == r[kdprop] for r in clean) / len(clean)
    assert same_province > 0.85
    assert ds.manifest["facts"]["desa"] == len(villages["kode_desa"].unique())


def test_cli_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.generate.__main__ import main

    regions = tmp_path / "regions"
    regions.mkdir()
    for name in ("provinces.csv", "regencies.csv", "districts.csv"):
        (regions / name).write_text((NATIONAL_REGIONS / name).read_text())
    out = tmp_path / "out"
    assert main(["--out", str(out), "--regions", str(regions), "--no-progress"]) == 2
    assert "villages.csv" in capsys.readouterr().err
    assert main(["--out", str(out), "--dirt", "nik_typo=0.1", "--no-progress"]) == 2
    assert "unknown dirt kind 'nik_typo'" in capsys.readouterr().err
    assert (
        main(["--out", str(out), "--households", "300000", "--format", "xlsx", "--no-progress"])
        == 2
    )
    assert "Excel" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--out", str(out), "--dirt", "nik_letters"])
    assert not out.exists()


def test_a_run_replaces_only_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scripts.generate.pipeline as pipeline
    from scripts.generate.config import TANJUNGBALAI, GeneratorConfig

    out = run_generator(tmp_path / "raw", "--households", "50")
    (out / "notes.txt").write_text("kept")
    run_generator(out, "--households", "50", "--format", "parquet")
    names = {p.name for p in out.iterdir()}
    assert "notes.txt" in names and "bdt_rt_1272.parquet" in names
    assert not any(n.endswith(".csv") and n != "manifest_defects.csv" for n in names)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "write_dataset", broken)
    with pytest.raises(RuntimeError):
        pipeline.generate(
            GeneratorConfig(profile=TANJUNGBALAI, out=out, households=50, progress=False)
        )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]
