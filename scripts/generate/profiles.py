"""Regions the households live in (BPS codes) and the NIK prefixes (Kemendagri codes) of each.

BDT rows carry BPS codes; a NIK starts with the Kemendagri kecamatan code of the place where it
was issued. The two systems are joined through a crosswalk (the Tanjung Balai seed) or, for the
national lists, by normalised names, never by deriving one code from the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.generate.config import SEEDS_DIR

NATIONAL_FILES = ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv")
KEMENDAGRI_FILE = Path("kemendagri") / "wilayah_2016.csv"
# Fallback draws of the name matching do not depend on the run's seed: the match is a property
# of the reference lists.
MATCH_SEED = 56_2015


class RegionsError(ValueError):
    """A region list is missing or unreadable."""


@dataclass(frozen=True)
class Regions:
    """The desa/kelurahan households are spread over, one entry per desa (sorted by code)."""

    label: str
    desa_code: np.ndarray  # int64, 10-digit BPS code
    desa_name: np.ndarray  # object (str)
    nik_prefix: np.ndarray  # int64, 6-digit Kemendagri kecamatan code of the desa's kecamatan
    is_kota: np.ndarray  # bool, desa of a kota (SLS are RW) rather than a kabupaten (dusun)
    match_counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.desa_code.shape[0])


@dataclass(frozen=True)
class NikPrefixes:
    """Every Kemendagri kecamatan code (6 digits, sorted) with the kabupaten name used as a place
    of birth."""

    code: np.ndarray  # int64, sorted
    place_name: np.ndarray  # object (str), e.g. "TANJUNG BALAI"

    def within(self, divisor: int, parents: np.ndarray, u: np.ndarray) -> np.ndarray:
        """For each parent code (prefix // divisor), a prefix under it chosen by u in [0, 1);
        -1 where the parent has none."""
        lo = np.searchsorted(self.code, parents * divisor, side="left")
        hi = np.searchsorted(self.code, (parents + 1) * divisor, side="left")
        pick = lo + np.floor(u * (hi - lo)).astype(np.int64)
        return np.where(hi > lo, self.code[np.minimum(pick, len(self.code) - 1)], -1)


def read_csv_text(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise RegionsError(f"missing region file: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def normalised_name(name: str) -> str:
    """Upper case, letters and digits only ("Tanjung Balai Kota  III" -> "TANJUNGBALAIKOTAIII")."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def kabupaten_key(name: str) -> tuple[str, str]:
    """("KOTA" or "KAB", normalised name) for "KABUPATEN X", "KAB. X", "KOTA X", "KOTA ADM. X"."""
    upper = " ".join(name.upper().split())
    for prefix, kind in (
        ("KABUPATEN ", "KAB"),
        ("KAB. ", "KAB"),
        ("KAB ", "KAB"),
        ("KOTA ADMINISTRASI ", "KOTA"),
        ("KOTA ADM. ", "KOTA"),
        ("KOTA ", "KOTA"),
    ):
        if upper.startswith(prefix):
            return kind, normalised_name(upper[len(prefix) :])
    return "KAB", normalised_name(upper)


def place_name(kabupaten_name: str) -> str:
    """Place of birth as written on forms: the kabupaten/kota name without its prefix."""
    upper = " ".join(kabupaten_name.upper().split())
    for prefix in ("KABUPATEN ", "KAB. ", "KOTA ADM. ", "KOTA "):
        if upper.startswith(prefix):
            return upper[len(prefix) :]
    return upper


def kemendagri_table(reference_dir: Path) -> pd.DataFrame:
    """wilayah_2016.csv with the code without dots (`digits`) and `level`."""
    table = read_csv_text(reference_dir / KEMENDAGRI_FILE)
    table["digits"] = table["kode"].str.replace(".", "", regex=False)
    return table


def nik_prefixes(reference_dir: Path) -> NikPrefixes:
    """All Kemendagri 2016 kecamatan codes, the valid NIK prefixes."""
    table = kemendagri_table(reference_dir)
    kab = table[table["level"] == "kabupaten"].set_index("digits")["nama"].map(place_name)
    kec = table[table["level"] == "kecamatan"].sort_values("digits")
    code = kec["digits"].astype(np.int64).to_numpy()
    names = kab.reindex(kec["digits"].str[:4]).fillna("").to_numpy(dtype=object)
    return NikPrefixes(code=code, place_name=names)


def tanjungbalai_regions() -> Regions:
    """The 31 kelurahan of Kota Tanjung Balai (BPS 1272) with the crosswalk's NIK prefixes."""
    bps = read_csv_text(SEEDS_DIR / "bps_regions_tanjungbalai.csv")
    crosswalk = read_csv_text(SEEDS_DIR / "region_crosswalk_tanjungbalai.csv")
    desa = bps[bps["level"] == "desa"].sort_values("bps_code")
    kec = crosswalk[crosswalk["level"] == "kec"].set_index("bps_code")["kemendagri_code"]
    prefix = kec.reindex(desa["parent_bps_code"]).str.replace(".", "", regex=False)
    if prefix.isna().any():
        raise RegionsError("region_crosswalk_tanjungbalai.csv lacks a kecamatan of the seed")
    return Regions(
        label="1272",
        desa_code=desa["bps_code"].astype(np.int64).to_numpy(),
        desa_name=desa["name"].to_numpy(dtype=object),
        nik_prefix=prefix.astype(np.int64).to_numpy(),
        is_kota=np.ones(len(desa), dtype=bool),
        match_counts={"kecamatan_crosswalk": int(desa["parent_bps_code"].nunique())},
    )


def national_regions(folder: Path, reference_dir: Path) -> Regions:
    """Every village of a BPS MFD folder with a Kemendagri kecamatan prefix matched by name."""
    if not folder.is_dir():
        raise RegionsError(f"--regions folder not found: {folder}")
    provinces, regencies, districts, villages = (
        read_csv_text(folder / name) for name in NATIONAL_FILES
    )
    for frame, name, columns in (
        (provinces, "provinces.csv", ("kode_provinsi", "nama_provinsi")),
        (regencies, "regencies.csv", ("kode_kabupaten", "kode_provinsi", "nama_kabupaten")),
        (districts, "districts.csv", ("kode_kecamatan", "kode_kabupaten", "nama_kecamatan")),
        (villages, "villages.csv", ("kode_desa", "kode_kecamatan", "nama_desa")),
    ):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise RegionsError(f"{folder / name} lacks column(s) {', '.join(missing)}")
    villages = villages.drop_duplicates("kode_desa").sort_values("kode_desa")
    villages = villages[villages["kode_desa"].str.fullmatch(r"\d{10}")]
    if villages.empty:
        raise RegionsError(f"{folder / 'villages.csv'} has no 10-digit desa code")
    kec_prefix, counts = district_prefixes(provinces, regencies, districts, reference_dir)
    prefix = villages["kode_kecamatan"].map(kec_prefix)
    if prefix.isna().any():
        raise RegionsError(f"{folder / 'villages.csv'} has kecamatan codes not in districts.csv")
    return Regions(
        label="national",
        desa_code=villages["kode_desa"].astype(np.int64).to_numpy(),
        desa_name=villages["nama_desa"].str.upper().to_numpy(dtype=object),
        nik_prefix=prefix.astype(np.int64).to_numpy(),
        is_kota=villages["kode_desa"].str[2:4].astype(int).to_numpy() >= 71,
        match_counts=counts,
    )


def province_matches(provinces: pd.DataFrame, kmd: pd.DataFrame) -> dict[str, str]:
    """BPS province code -> Kemendagri province code, by name, else the same code."""
    rows = kmd[kmd["level"] == "provinsi"]
    by_name = dict(zip(rows["nama"].map(normalised_name), rows["digits"], strict=True))
    codes = set(rows["digits"])
    return {
        code: by_name.get(normalised_name(name)) or (code if code in codes else "")
        for code, name in zip(provinces["kode_provinsi"], provinces["nama_provinsi"], strict=True)
    }


def kabupaten_matches(
    regencies: pd.DataFrame, kmd: pd.DataFrame, provinces: dict[str, str]
) -> dict[str, str]:
    """BPS kabupaten code -> Kemendagri kabupaten code ("" if none), by kind and name within the
    matched province, else by name alone."""
    rows = kmd[kmd["level"] == "kabupaten"]
    keys = [(d[:2], *kabupaten_key(n)) for d, n in zip(rows["digits"], rows["nama"], strict=True)]
    by_key = dict(zip(keys, rows["digits"], strict=True))
    by_name = {(prov, name): code for (prov, _, name), code in by_key.items()}
    matches = {}
    for code, prov, name in zip(
        regencies["kode_kabupaten"],
        regencies["kode_provinsi"],
        regencies["nama_kabupaten"],
        strict=True,
    ):
        kprov = provinces.get(prov, "")
        kind, key = kabupaten_key(name)
        matches[code] = by_key.get((kprov, kind, key)) or by_name.get((kprov, key), "")
    return matches


def district_prefixes(
    provinces: pd.DataFrame,
    regencies: pd.DataFrame,
    districts: pd.DataFrame,
    reference_dir: Path,
) -> tuple[dict[str, int], dict[str, int]]:
    """BPS kecamatan code -> Kemendagri kecamatan prefix, and how many were matched each way.

    Province by name (else the same code); kabupaten within the province by kind and name
    ("KABUPATEN X" = "KAB. X", "KOTA X"); kecamatan within the kabupaten by name; else a random
    kecamatan of the matched kabupaten, else of the province."""
    kmd = kemendagri_table(reference_dir)
    rng = np.random.default_rng(MATCH_SEED)
    prov_match = province_matches(provinces, kmd)
    kab_match = kabupaten_matches(regencies, kmd, prov_match)
    kec = kmd.loc[kmd["level"] == "kecamatan", ["digits", "nama"]]
    by_name = {
        (d[:4], normalised_name(n)): d for d, n in zip(kec["digits"], kec["nama"], strict=True)
    }
    within: dict[str, list[str]] = {}
    for d in kec["digits"]:
        within.setdefault(d[:4], []).append(d)
        within.setdefault(d[:2], []).append(d)
    result: dict[str, int] = {}
    counts = dict.fromkeys(
        (
            "kecamatan_by_name",
            "kecamatan_random_in_kabupaten",
            "kecamatan_random_in_province",
            "kecamatan_random",
        ),
        0,
    )
    for code, kab, name in zip(
        districts["kode_kecamatan"],
        districts["kode_kabupaten"],
        districts["nama_kecamatan"],
        strict=True,
    ):
        kkab = kab_match.get(kab, "")
        kprov = prov_match.get(kab[:2], "")
        exact = by_name.get((kkab, normalised_name(name)))
        if exact:
            options, how = [exact], "kecamatan_by_name"
        elif within.get(kkab):
            options, how = within[kkab], "kecamatan_random_in_kabupaten"
        elif within.get(kprov):
            options, how = within[kprov], "kecamatan_random_in_province"
        else:
            options, how = list(kec["digits"]), "kecamatan_random"
        result[code] = int(options[rng.integers(len(options))])
        counts[how] += 1
    return result, counts


def load_regions(folder: Path | None, reference_dir: Path) -> Regions:
    """The profile's own regions (Tanjung Balai seeds) or the national lists of `folder`."""
    if folder is None:
        return tanjungbalai_regions()
    return national_regions(folder, reference_dir)
