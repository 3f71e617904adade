"""Defects of real exports, injected at known places so that every warehouse rule can be checked
against an exact count.

Row-level defects fall on disjoint rows: a row carries at most one, and the rows of households
with a head defect, of orphan households, of PKH recipients (for NIK defects) and the donors of
duplicated NIKs carry none. Each kind's rate is per row of its table (per household for the
household-level kinds, per unpaid row for tgl_zero, per column for header_case_variant); a rate
above 0 injects at least one defect."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.contract import raw_table
from scripts.generate.config import REFERENCE_DATE
from scripts.generate.households import Households
from scripts.generate.individuals import Individuals, ages_at
from scripts.generate.render import Columns, date_text
from scripts.generate.sampling import choose

IND, HH, PKH = "bdt_individuals", "bdt_households", "pkh_payments"
HH_CODED_OPTIONAL = (
    "sta_bangunan",
    "sta_lahan",
    "lantai",
    "dinding",
    "kondisi_dinding",
    "atap",
    "kondisi_atap",
    "sumber_airminum",
    "cara_peroleh_airminum",
    "sumber_penerangan",
    "daya",
    "bb_masak",
    "fasbab",
    "kloset",
    "buang_tinja",
    "ada_tabung_gas",
    "ada_lemari_es",
    "ada_tv",
    "ada_motor",
    "ada_emas",
    "sta_kks",
    "sta_kip",
    "sta_kis",
    "sta_pkh",
    "sta_rastra",
)
IND_CODED_OPTIONAL = (
    "hubkel",
    "sta_kawin",
    "ada_akta_nikah",
    "ada_dikk",
    "ada_kartu_identitas",
    "sta_hamil",
    "jenis_cacat",
    "penyakit_kronis",
    "partisipasi_sekolah",
    "pendidikan_tertinggi",
    "kelas_tertinggi",
    "ijazah_tertinggi",
    "sta_bekerja",
    "lapangan_usaha",
    "status_pekerjaan",
    "ada_kks",
    "ada_pbi",
    "ada_kip",
    "ada_pkh",
    "ada_rastra",
)
# The PBDT 2015 questionnaire's later columns (issue #17): their dirt is drawn after every other
# kind's, from its own random stream (Stream.QUESTIONNAIRE_DIRT), on rows without another defect,
# so that adding it left the other defects where they were.
IND_QUESTIONNAIRE = (
    "sta_kb",
    "alat_kb",
    "sta_sekolah",
    "lapangan_usahaart",
    "jumlah_pekerja",
    "lokasi_usaha",
    "omset_usaha",
)
HH_QUESTIONNAIRE = ("ada_hp", "sta_art_usaha")
OWN_BUSINESS = ("lapangan_usahaart", "jumlah_pekerja", "lokasi_usaha", "omset_usaha")
# What a breach writes: a KB answer for a man; a small trade business for a member who did not
# work (sector 12, one worker, no permanent place, turnover under Rp 1 million).
KB_ANSWERS = ("1", "2")
STRAY_BUSINESS = ("12", "1", "2", "1")
BREACH_MIN_AGE = 15
OUT_OF_RANGE = {
    "sta_kawin": ("5", "9"),
    "pendidikan_tertinggi": ("11", "12", "99"),
    "jenis_cacat": ("13", "99"),
    "lantai": ("0", "11", "99"),
    "dinding": ("0", "8", "99"),
    "atap": ("0", "11"),
    "bb_masak": ("0", "10", "99"),
    "sumber_airminum": ("0", "13"),
    "fasbab": ("0", "5"),
}
LOOKALIKE = {"0": "O", "1": "I", "5": "S"}


@dataclass(frozen=True)
class DirtKind:
    kind: str
    table: str
    unit: str  # rows, cells or columns
    rate: float  # default rate
    columns: tuple[str, ...]  # contract column names it may touch
    description: str

    @property
    def key(self) -> str:
        return f"{self.table}.{self.kind}"


def _kind(
    kind: str,
    table: str,
    rate: float,
    columns: tuple[str, ...],
    description: str,
    unit: str = "rows",
) -> DirtKind:
    return DirtKind(kind, table, unit, rate, columns, description)


DIRT_KINDS: tuple[DirtKind, ...] = (
    _kind("nik_15_digits", IND, 0.001, ("nik",), "NIK with one digit dropped (15 digits)."),
    _kind("nik_letters", IND, 0.0005, ("nik",), "NIK with a digit typed as a letter (O, I, l, S)."),
    _kind(
        "nik_scientific_notation",
        IND,
        0.001,
        ("nik",),
        "NIK as Excel writes a large number, e.g. 1.27405E+15.",
    ),
    _kind(
        "nik_duplicate_across_households",
        IND,
        0.0005,
        ("nik",),
        "NIK copied from a person of another household; the copy disagrees with this row's sex "
        "or birth date, the original row stays clean.",
    ),
    _kind(
        "nik_duplicate_within_household",
        IND,
        0.0003,
        ("nik",),
        "NIK copied from another member of the same household; the copy disagrees with this "
        "row's sex or birth date, the original row stays clean.",
    ),
    _kind(
        "nik_sex_mismatch",
        IND,
        0.001,
        ("jnskel",),
        "JnsKel flipped; the NIK (day + 40 for women) still tells the other sex.",
    ),
    _kind(
        "nik_birthdate_mismatch",
        IND,
        0.002,
        ("tgllahir", "umur"),
        "TglLahir and Umur changed together; the NIK keeps the original date.",
    ),
    _kind("birthdate_zero", IND, 0.001, ("tgllahir",), "TglLahir written as 0000-00-00."),
    _kind(
        "null_literal",
        IND,
        0.001,
        IND_CODED_OPTIONAL,
        "The string NULL in 1-3 optional coded cells of a row; counted in cells.",
        "cells",
    ),
    _kind(
        "code_out_of_range",
        IND,
        0.0005,
        ("sta_kawin", "pendidikan_tertinggi", "jenis_cacat"),
        "A value outside the code list in a coded column.",
    ),
    _kind(
        "orphan_individual",
        IND,
        0.001,
        ("idbdt",),
        "Members of households absent from the household file; rate per household, counted in "
        "individual rows.",
    ),
    _kind(
        "household_no_head",
        IND,
        0.0005,
        ("hub_krt",),
        "The head's Hub_KRT changed to 8: a household without head; rate per household.",
    ),
    _kind(
        "household_two_heads",
        IND,
        0.0005,
        ("hub_krt",),
        "A second member (usually the spouse) given Hub_KRT 1; rate per household.",
    ),
    _kind(
        "region_code_no_leading_zeros",
        IND,
        0.002,
        ("kdkec", "kddesa"),
        "KDKEC/KDDESA without leading zeros (10 for 010, 1 for 001).",
    ),
    _kind(
        "trailing_spaces",
        IND,
        0.003,
        ("nama", "tmplahir", "jnskel", "sta_kawin"),
        "Trailing spaces after a name, place or code.",
    ),
    _kind(
        "stray_cr", IND, 0.0005, ("nama", "tmplahir"), "A carriage return at the end of a value."
    ),
    _kind(
        "header_case_variant",
        IND,
        0.05,
        (),
        "Headers written in another letter case; counted in columns.",
        "columns",
    ),
    _kind(
        "null_literal",
        HH,
        0.002,
        HH_CODED_OPTIONAL,
        "The string NULL in 1-3 optional coded cells of a row; counted in cells.",
        "cells",
    ),
    _kind(
        "code_out_of_range",
        HH,
        0.001,
        ("lantai", "dinding", "atap", "bb_masak", "sumber_airminum", "fasbab"),
        "A value outside the code list in a housing column.",
    ),
    _kind(
        "region_code_no_leading_zeros",
        HH,
        0.002,
        ("kdkec", "kddesa"),
        "KDKEC/KDDESA without leading zeros (10 for 010, 1 for 001).",
    ),
    _kind(
        "trailing_spaces",
        HH,
        0.003,
        ("nama_krt", "alamat", "nama_sls", "lantai", "dinding"),
        "Trailing spaces after a name, address, SLS name or code.",
    ),
    _kind(
        "stray_cr", HH, 0.0005, ("nama_krt", "alamat"), "A carriage return at the end of a value."
    ),
    _kind(
        "header_case_variant",
        HH,
        0.05,
        (),
        "Headers written in another letter case; counted in columns.",
        "columns",
    ),
    _kind(
        "tgl_zero",
        PKH,
        0.3,
        ("tgl_salur",),
        "TGL_SALUR 0000-00-00 on an unpaid row (GAGAL SALUR, DITANGGUHKAN) instead of blank; "
        "rate per unpaid row.",
    ),
    _kind(
        "trailing_spaces",
        PKH,
        0.003,
        ("nama_penerima", "alamat"),
        "Trailing spaces after the recipient's name or the address.",
    ),
)
DIRT_KINDS += (
    _kind(
        "questionnaire_null_literal",
        HH,
        0.001,
        HH_QUESTIONNAIRE,
        "The string NULL in a column of the PBDT 2015 questionnaire's rest (issue #17: ada_hp, "
        "sta_art_usaha); counted in cells.",
        "cells",
    ),
    _kind(
        "questionnaire_null_literal",
        IND,
        0.0005,
        IND_QUESTIONNAIRE,
        "The string NULL in 1-2 columns of the PBDT 2015 questionnaire's rest (issue #17: KB, "
        "school status, own business) of a row; counted in cells.",
        "cells",
    ),
    _kind(
        "skip_rule_breach",
        IND,
        0.0005,
        ("sta_kb", *OWN_BUSINESS),
        "An answer where the form's skip rules leave the question out: Sta_KB for a man (aged "
        "15+), or an own business for a member who did not work (Sta_Bekerja 2).",
    ),
)
KINDS_BY_KEY = {k.key: k for k in DIRT_KINDS}
KIND_NAMES = tuple(dict.fromkeys(k.kind for k in DIRT_KINDS))


def resolve_rates(overrides: dict[str, float], scale: float) -> dict[str, float]:
    """Rate of every table.kind: the default times `scale` (at most 1), then the overrides
    ("kind" for every table that has it, or "table.kind")."""
    rates = {k.key: min(1.0, k.rate * scale) for k in DIRT_KINDS}
    for name, rate in overrides.items():
        keys = [name] if name in KINDS_BY_KEY else [k.key for k in DIRT_KINDS if k.kind == name]
        if not keys:
            raise ValueError(
                f"unknown dirt kind {name!r}; kinds: {', '.join(KIND_NAMES)} "
                f"(or table.kind, e.g. {IND}.trailing_spaces)"
            )
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"dirt rate of {name} must be between 0 and 1, got {rate}")
        for key in keys:
            rates[key] = rate
    return rates


def parse_override(text: str) -> tuple[str, float]:
    """ "KIND=RATE" -> (kind, rate)."""
    match = re.fullmatch(r"\s*([\w.]+)\s*=\s*([0-9.eE+-]+)\s*", text)
    if not match:
        raise ValueError(f"--dirt expects KIND=RATE, got {text!r}")
    try:
        return match.group(1), float(match.group(2))
    except ValueError:
        raise ValueError(f"--dirt rate is not a number in {text!r}") from None


def count_for(rate: float, base: int) -> int:
    """Defects to inject for `base` rows at `rate`: at least one when the rate is above 0."""
    if rate <= 0 or base <= 0:
        return 0
    return min(base, max(1, round(rate * base)))


class DirtBudget:
    """How many defects of each kind to inject chunk after chunk: the running total follows
    round(rate x rows so far), with at least one from the first chunk on when the rate is above
    0, so that the counts hardly depend on the chunk size."""

    def __init__(self, rates: dict[str, float]) -> None:
        self.rates = rates
        self.rows: Counter[str] = Counter()
        self.issued: Counter[str] = Counter()

    def take(self, key: str, base: int) -> int:
        rate = self.rates.get(key, 0.0)
        self.rows[key] += base
        target = min(self.rows[key], max(1, round(rate * self.rows[key]))) if rate > 0 else 0
        n = max(0, target - self.issued[key])
        self.issued[key] += n
        return n


@dataclass(frozen=True)
class Defect:
    kind: str
    table: str
    row: int  # 0-based row of the chunk's table; -1 for the header
    column: str  # header(s) as in the contract, "|"-joined
    key: str


class Patches:
    """Cell changes collected per column and applied at once."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self.changes: dict[str, dict[int, str]] = {}

    def get(self, column: str, rows: np.ndarray) -> list[str]:
        return self.columns[column].take(pa.array(rows, type=pa.int64())).to_pylist()

    def set(self, column: str, rows: np.ndarray, values: list[str]) -> None:
        self.changes.setdefault(column, {}).update(zip(rows.tolist(), values, strict=True))

    def applied(self) -> Columns:
        out = dict(self.columns)
        for column, changes in self.changes.items():
            rows = np.fromiter(sorted(changes), dtype=np.int64, count=len(changes))
            mask = np.zeros(len(out[column]), dtype=bool)
            mask[rows] = True
            values = pa.array([changes[r] for r in rows.tolist()], type=pa.string())
            out[column] = pc.replace_with_mask(out[column], pa.array(mask), values)
        return out


class Injector:
    """Row-level injection into one chunk's table."""

    def __init__(
        self,
        rng: np.random.Generator,
        table: str,
        columns: Columns,
        key: str,
        budget: DirtBudget,
    ) -> None:
        self.rng = rng
        self.table = table
        self.patches = Patches(columns)
        self.keys = columns[key]
        self.rows = len(columns[key])
        self.free = np.ones(self.rows, dtype=bool)
        self.budget = budget
        self.defects: list[Defect] = []
        self.headers = {c.name: c.header for c in raw_table(table).columns}

    def count(self, kind: str, base: int | None = None) -> int:
        """Defects of `kind` for this chunk; `base` = the rows or households it applies to."""
        return self.budget.take(f"{self.table}.{kind}", self.rows if base is None else base)

    def take(self, n: int, eligible: np.ndarray | None = None) -> np.ndarray:
        mask = self.free if eligible is None else self.free & eligible
        rows = choose(self.rng, np.flatnonzero(mask), n)
        self.free[rows] = False
        return rows

    def reserve(self, rows: np.ndarray) -> None:
        self.free[rows] = False

    def record(self, kind: str, rows: np.ndarray, columns: list[str] | str) -> None:
        names = [columns] * rows.shape[0] if isinstance(columns, str) else columns
        keys = self.keys.take(pa.array(rows, type=pa.int64())).to_pylist()
        for row, name, key in zip(rows.tolist(), names, keys, strict=True):
            header = "|".join(self.headers[c] for c in name.split("|"))
            self.defects.append(Defect(kind, self.table, row, header, key))

    def result(self) -> tuple[Columns, list[Defect]]:
        return self.patches.applied(), sorted(self.defects, key=lambda d: (d.row, d.kind, d.column))

    # Kinds shared by several tables.

    def trailing_spaces(self) -> None:
        rows, chosen = self._rows_and_columns("trailing_spaces")
        self._rewrite(
            rows, chosen, lambda _, v: [x + " " * int(self.rng.integers(1, 4)) for x in v]
        )
        self.record("trailing_spaces", rows, chosen)

    def stray_cr(self) -> None:
        rows, chosen = self._rows_and_columns("stray_cr")
        self._rewrite(rows, chosen, lambda _, v: [x + "\r" for x in v])
        self.record("stray_cr", rows, chosen)

    def code_out_of_range(self) -> None:
        rows, chosen = self._rows_and_columns("code_out_of_range")
        self._rewrite(
            rows, chosen, lambda c, v: self.rng.choice(OUT_OF_RANGE[c], size=len(v)).tolist()
        )
        self.record("code_out_of_range", rows, chosen)

    def null_literal(self) -> None:
        kind = KINDS_BY_KEY[f"{self.table}.null_literal"]
        rows = self.take(self.count("null_literal"))
        per_row = self.rng.integers(1, 4, size=rows.shape[0])
        cell_rows, cell_columns = [], []
        for row, k in zip(rows.tolist(), per_row.tolist(), strict=True):
            for column in self.rng.choice(kind.columns, size=k, replace=False).tolist():
                cell_rows.append(row)
                cell_columns.append(column)
        cells = np.asarray(cell_rows, dtype=np.int64)
        self._rewrite(cells, cell_columns, lambda _, v: ["NULL"] * len(v))
        self.record("null_literal", cells, cell_columns)

    def _rows_and_columns(self, kind: str) -> tuple[np.ndarray, list[str]]:
        """Rows for one defect each of `kind`, and the column (not blank there) it goes in."""
        rows = self.take(self.count(kind))
        return rows, self._non_blank_columns(rows, KINDS_BY_KEY[f"{self.table}.{kind}"].columns)

    def _rewrite(
        self,
        rows: np.ndarray,
        columns: list[str],
        new_values: Callable[[str, list[str]], list[str]],
    ) -> None:
        """Set each row's cell in its column to new_values(column, old values); columns are
        visited in a fixed order so that the random draws do not depend on hashing."""
        chosen = np.asarray(columns, dtype=object)
        for column in sorted(set(columns)):
            sub = rows[chosen == column]
            self.patches.set(column, sub, new_values(column, self.patches.get(column, sub)))

    def region_code_no_leading_zeros(self) -> None:
        kec = pc.starts_with(self.patches.columns["kdkec"], "0").to_numpy(zero_copy_only=False)
        desa = pc.starts_with(self.patches.columns["kddesa"], "0").to_numpy(zero_copy_only=False)
        rows = self.take(self.count("region_code_no_leading_zeros"), kec | desa)
        changed = []
        for column, padded in (("kdkec", kec[rows]), ("kddesa", desa[rows])):
            sub = rows[padded]
            self.patches.set(
                column, sub, [v.lstrip("0") or "0" for v in self.patches.get(column, sub)]
            )
        for k, d in zip(kec[rows], desa[rows], strict=True):
            changed.append("|".join(c for c, on in (("kdkec", k), ("kddesa", d)) if on))
        self.record("region_code_no_leading_zeros", rows, changed)

    def _non_blank_columns(self, rows: np.ndarray, candidates: tuple[str, ...]) -> list[str]:
        """A random candidate column per row, among those whose value is not blank there."""
        chosen = self.rng.choice(candidates, size=rows.shape[0]).tolist()
        values = {c: self.patches.get(c, rows) for c in candidates}
        for i, column in enumerate(chosen):
            if values[column][i] == "":
                chosen[i] = next(c for c in candidates if values[c][i] != "")
        return chosen


def nik_variants(rng: np.random.Generator, kind: str, niks: list[str]) -> list[str]:
    """Malformed spellings of clean 16-digit NIKs."""
    out = []
    for nik in niks:
        if kind == "nik_15_digits":
            i = int(rng.integers(0, 16))
            out.append(nik[:i] + nik[i + 1 :])
        elif kind == "nik_letters":
            positions = [i for i, ch in enumerate(nik) if ch in LOOKALIKE] or [15]
            i = positions[int(rng.integers(0, len(positions)))]
            letter = LOOKALIKE.get(nik[i], "O")
            if letter == "I" and rng.random() < 0.5:
                letter = "l"
            out.append(nik[:i] + letter + nik[i + 1 :])
        else:
            out.append(f"{int(nik):.5E}")
    return out


def individual_dirt(
    rng: np.random.Generator,
    columns: Columns,
    people: Individuals,
    households: Households,
    recipients: np.ndarray,
    budget: DirtBudget,
    reserved: np.ndarray | None = None,
    as_of: dt.date = REFERENCE_DATE,
) -> tuple[Columns, list[Defect], np.ndarray]:
    """Defects of the individual rows, and the chunk households with a head defect; `reserved`
    rows (a NIK written malformed by the delivery history) get none; `as_of`: the delivery's
    date (a changed TglLahir changes Umur, the age on that date)."""
    inj = Injector(rng, IND, columns, "idartbdt", budget)
    if reserved is not None:
        inj.reserve(reserved)
    hh = people.hh
    orphan_rows = np.flatnonzero(households.is_orphan[hh])
    inj.reserve(orphan_rows)
    inj.record("orphan_individual", orphan_rows, "idbdt")

    kept = ~households.is_orphan
    candidates = np.flatnonzero(kept & (households.size >= 2))
    n_no_head = inj.count("household_no_head", int(kept.sum()))
    n_two = inj.count("household_two_heads", int(kept.sum()))
    picked = rng.permutation(choose(rng, candidates, n_no_head + n_two))
    no_head, two_heads = np.sort(picked[:n_no_head]), np.sort(picked[n_no_head:])
    head_defect = np.concatenate([no_head, two_heads])
    inj.reserve(np.flatnonzero(np.isin(hh, head_defect)))
    rows = np.flatnonzero(np.isin(hh, no_head) & (people.member_no == 1))
    inj.patches.set("hub_krt", rows, ["8"] * rows.shape[0])
    inj.record("household_no_head", rows, "hub_krt")
    rows = np.flatnonzero(np.isin(hh, two_heads) & (people.member_no == 2))
    inj.patches.set("hub_krt", rows, ["1"] * rows.shape[0])
    inj.record("household_two_heads", rows, "hub_krt")

    nik_ok = np.ones(len(people), dtype=bool)
    nik_ok[recipients] = False
    if reserved is not None:
        nik_ok[reserved] = False
    _duplicates_across(inj, people, nik_ok)
    _duplicates_within(inj, people, nik_ok)
    for kind in ("nik_15_digits", "nik_letters", "nik_scientific_notation"):
        rows = inj.take(inj.count(kind), nik_ok)
        inj.patches.set("nik", rows, nik_variants(rng, kind, inj.patches.get("nik", rows)))
        inj.record(kind, rows, "nik")

    rows = inj.take(inj.count("nik_sex_mismatch"))
    inj.patches.set(
        "jnskel", rows, ["2" if v == "1" else "1" for v in inj.patches.get("jnskel", rows)]
    )
    inj.record("nik_sex_mismatch", rows, "jnskel")

    rows = inj.take(inj.count("nik_birthdate_mismatch"))
    shifted = people.birth[rows] - rng.integers(30, 1500, size=rows.shape[0])
    inj.patches.set("tgllahir", rows, date_text(shifted).to_pylist())
    inj.patches.set("umur", rows, [str(a) for a in ages_at(shifted, as_of).tolist()])
    inj.record("nik_birthdate_mismatch", rows, "tgllahir|umur")

    rows = inj.take(inj.count("birthdate_zero"))
    inj.patches.set("tgllahir", rows, ["0000-00-00"] * rows.shape[0])
    inj.record("birthdate_zero", rows, "tgllahir")

    inj.code_out_of_range()
    inj.null_literal()
    inj.region_code_no_leading_zeros()
    inj.trailing_spaces()
    inj.stray_cr()
    out, defects = inj.result()
    return out, defects, head_defect


def _disagree(people: Individuals, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (people.sex[a] != people.sex[b]) | (people.birth[a] != people.birth[b])


def _duplicates_across(inj: Injector, people: Individuals, nik_ok: np.ndarray) -> None:
    n = inj.count("nik_duplicate_across_households")
    if n == 0:
        return
    pool = choose(inj.rng, np.flatnonzero(inj.free & nik_ok), 2 * n + 16)
    pool = inj.rng.permutation(pool)
    receiver, donor = pool[0::2][: pool.shape[0] // 2], pool[1::2][: pool.shape[0] // 2]
    ok = (people.hh[receiver] != people.hh[donor]) & _disagree(people, receiver, donor)
    receiver, donor = receiver[ok][:n], donor[ok][:n]
    _copy_nik(inj, "nik_duplicate_across_households", receiver, donor)


def _duplicates_within(inj: Injector, people: Individuals, nik_ok: np.ndarray) -> None:
    n = inj.count("nik_duplicate_within_household")
    if n == 0:
        return
    first = np.flatnonzero(people.member_no[:-1] % 2 == 1)  # members 1-2, 3-4, ... as pairs
    first = first[people.hh[first] == people.hh[first + 1]]
    second = first + 1
    usable = inj.free[first] & inj.free[second] & nik_ok[first] & nik_ok[second]
    usable &= _disagree(people, first, second)
    pairs = choose(inj.rng, np.flatnonzero(usable), n)
    swap = inj.rng.random(pairs.shape[0]) < 0.5
    receiver = np.where(swap, first[pairs], second[pairs])
    donor = np.where(swap, second[pairs], first[pairs])
    _copy_nik(inj, "nik_duplicate_within_household", receiver, donor)


def _copy_nik(inj: Injector, kind: str, receiver: np.ndarray, donor: np.ndarray) -> None:
    inj.free[receiver] = False
    inj.free[donor] = False
    order = np.argsort(receiver)
    receiver, donor = receiver[order], donor[order]
    inj.patches.set("nik", receiver, inj.patches.get("nik", donor))
    inj.record(kind, receiver, "nik")


def household_dirt(
    rng: np.random.Generator, columns: Columns, excluded: np.ndarray, budget: DirtBudget
) -> tuple[Columns, list[Defect]]:
    """Defects of the household rows; `excluded` rows (households with a head defect) stay clean."""
    inj = Injector(rng, HH, columns, "idbdt", budget)
    inj.reserve(excluded)
    inj.code_out_of_range()
    inj.null_literal()
    inj.region_code_no_leading_zeros()
    inj.trailing_spaces()
    inj.stray_cr()
    return inj.result()


def pkh_dirt(
    rng: np.random.Generator, columns: Columns, budget: DirtBudget
) -> tuple[Columns, list[Defect]]:
    inj = Injector(rng, PKH, columns, "idpkh", budget)
    unpaid = pc.not_equal(columns["status"], "SALUR").to_numpy(zero_copy_only=False)
    rows = inj.take(inj.count("tgl_zero", int(unpaid.sum())), unpaid)
    inj.patches.set("tgl_salur", rows, ["0000-00-00"] * rows.shape[0])
    inj.record("tgl_zero", rows, "tgl_salur")
    inj.trailing_spaces()
    return inj.result()


def header_variants(
    rng: np.random.Generator, table: str, rate: float
) -> tuple[tuple[str, ...], list[str]]:
    """The file's headers with some written in another letter case, and the contract headers
    of the columns changed."""
    headers = list(raw_table(table).headers())
    n = count_for(rate, len(headers))
    changed = sorted(choose(rng, np.arange(len(headers)), n).tolist())
    for i in changed:
        h = headers[i]
        headers[i] = h.lower() if h != h.lower() else h.upper()
    return tuple(headers), [raw_table(table).headers()[i] for i in changed]


def _text_equals(column: pa.Array, value: str) -> np.ndarray:
    return pc.equal(column, value).to_numpy(zero_copy_only=False)


def questionnaire_null_literal(inj: Injector, candidates: tuple[str, ...], most: int) -> None:
    """The string NULL in 1 to `most` of `candidates` on free rows (questionnaire_null_literal)."""
    rows = inj.take(inj.count("questionnaire_null_literal"))
    per_row = inj.rng.integers(1, most + 1, size=rows.shape[0])
    cell_rows, cell_columns = [], []
    for row, k in zip(rows.tolist(), per_row.tolist(), strict=True):
        for column in inj.rng.choice(candidates, size=k, replace=False).tolist():
            cell_rows.append(row)
            cell_columns.append(column)
    cells = np.asarray(cell_rows, dtype=np.int64)
    for column in sorted(set(cell_columns)):
        sub = cells[np.asarray(cell_columns, dtype=object) == column]
        inj.patches.set(column, sub, ["NULL"] * sub.shape[0])
    inj.record("questionnaire_null_literal", cells, cell_columns)


def questionnaire_individual_dirt(
    rng: np.random.Generator, columns: Columns, dirty: np.ndarray, budget: DirtBudget
) -> tuple[Columns, list[Defect]]:
    """Defects in the member columns of the questionnaire's rest (issue #17), on rows without
    another defect (`dirty` rows are left alone): skip-rule breaches and NULL strings."""
    inj = Injector(rng, IND, columns, "idartbdt", budget)
    inj.reserve(dirty)
    age = pc.cast(pc.if_else(pc.equal(columns["umur"], ""), None, columns["umur"]), pa.int64())
    adult = pc.fill_null(pc.greater_equal(age, BREACH_MIN_AGE), False).to_numpy(
        zero_copy_only=False
    )
    kb_breach = _text_equals(columns["jnskel"], "1") & adult & _text_equals(columns["sta_kb"], "")
    business_breach = _text_equals(columns["sta_bekerja"], "2") & _text_equals(
        columns["lapangan_usahaart"], ""
    )
    rows = inj.take(inj.count("skip_rule_breach"), kb_breach | business_breach)
    as_kb = kb_breach[rows] & (~business_breach[rows] | (rng.random(rows.shape[0]) < 0.5))
    kb_rows = rows[as_kb]
    inj.patches.set("sta_kb", kb_rows, rng.choice(KB_ANSWERS, size=kb_rows.shape[0]).tolist())
    business_rows = rows[~as_kb]
    for column, value in zip(OWN_BUSINESS, STRAY_BUSINESS, strict=True):
        inj.patches.set(column, business_rows, [value] * business_rows.shape[0])
    inj.record("skip_rule_breach", kb_rows, "sta_kb")
    inj.record("skip_rule_breach", business_rows, "|".join(OWN_BUSINESS))
    questionnaire_null_literal(inj, IND_QUESTIONNAIRE, 2)
    return inj.result()


def questionnaire_household_dirt(
    rng: np.random.Generator, columns: Columns, dirty: np.ndarray, budget: DirtBudget
) -> tuple[Columns, list[Defect]]:
    """NULL strings in the household columns of the questionnaire's rest (issue #17), on rows
    without another defect (`dirty` rows are left alone)."""
    inj = Injector(rng, HH, columns, "idbdt", budget)
    inj.reserve(dirty)
    questionnaire_null_literal(inj, HH_QUESTIONNAIRE, 1)
    return inj.result()
