"""Run settings and profiles of the synthetic raw data generator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from scripts.contract import PROJECT_DIR
from scripts.generate.demography import ChangeParameters, RosterParameters, SchoolingParameters

# Kota Tanjung Balai in the BDT 2015: households and individuals (TNP2K, September 2017).
SAMPLE_HOUSEHOLDS = 14_500
SAMPLE_INDIVIDUALS = 67_686
# BDT 2017: PKH families appended that were not in the BDT, per BDT household.
NATIONAL_BDT_HOUSEHOLDS = 25_774_205
NATIONAL_PKH_NON_BDT = 815_569
# Umur (age) in the BDT is the age at the PBDT 2015 enumeration.
REFERENCE_DATE = dt.date(2015, 7, 1)
PKH_STAGES = (
    (2016, 1),
    (2016, 2),
    (2016, 3),
    (2016, 4),
    (2017, 1),
    (2017, 2),
    (2017, 3),
    (2017, 4),
)
FORMATS = ("csv", "parquet", "xlsx")
DELIMITERS = (",", ";")
DEFAULT_CHUNK_SIZE = 250_000
DEFAULT_INTERVAL_MONTHS = 6
REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference"
SEEDS_DIR = PROJECT_DIR / "seeds"


def individuals_for(households: int) -> int:
    """Rows of the individual file for a household file of this size (the sample's ratio)."""
    return round(households * SAMPLE_INDIVIDUALS / SAMPLE_HOUSEHOLDS)


def pkh_non_bdt_families_for(households: int) -> int:
    """PKH families outside the BDT for a BDT of this size (the national ratio of BDT 2017)."""
    return round(households * NATIONAL_PKH_NON_BDT / NATIONAL_BDT_HOUSEHOLDS)


@dataclass(frozen=True)
class Profile:
    """Economic, naming and demographic parameters of one kind of place."""

    name: str
    label: str  # file label when the profile's own regions are used
    households: int
    # Shares of households by desil 1-4, percentile 41-50 and unranked (blank); they sum to 1.
    desil_shares: tuple[float, float, float, float]
    above_40_share: float
    unranked_share: float
    # Sector (lapangan_usaha code) weights of working heads for the least poor and the poorest.
    sector_weights_rich: dict[int, float]
    sector_weights_poor: dict[int, float]
    marga_share: float  # households with a Batak family name
    sls_word: str  # "LINGKUNGAN" in Tanjung Balai; "" = DUSUN in kabupaten, RW in kota
    coastal: bool  # boats, fish landing, wooden houses on stilts
    # Who lives in a household and their schooling (the same figures for every profile so far).
    roster: RosterParameters = field(default_factory=RosterParameters)
    schooling: SchoolingParameters = field(default_factory=SchoolingParameters)
    # What changes between two deliveries (the same figures for every profile so far).
    changes: ChangeParameters = field(default_factory=ChangeParameters)


TANJUNGBALAI = Profile(
    name="tanjungbalai",
    label="1272",
    households=SAMPLE_HOUSEHOLDS,
    desil_shares=(0.30, 0.26, 0.22, 0.18),
    above_40_share=0.02,
    unranked_share=0.02,
    sector_weights_rich={
        4: 14,
        12: 30,
        14: 12,
        11: 10,
        9: 8,
        19: 12,
        13: 6,
        5: 2,
        17: 3,
        18: 1,
        1: 1,
        3: 1,
    },
    sector_weights_poor={
        4: 32,
        12: 18,
        14: 13,
        11: 15,
        9: 6,
        19: 5,
        13: 3,
        5: 3,
        1: 2,
        3: 2,
        20: 1,
    },
    marga_share=0.35,
    sls_word="LINGKUNGAN",
    coastal=True,
)

NATIONAL = Profile(
    name="national",
    label="national",
    households=SAMPLE_HOUSEHOLDS,
    desil_shares=(0.26, 0.25, 0.24, 0.21),
    above_40_share=0.02,
    unranked_share=0.02,
    sector_weights_rich={
        1: 14,
        2: 4,
        3: 8,
        4: 3,
        6: 3,
        9: 9,
        11: 9,
        12: 24,
        14: 8,
        19: 12,
        13: 4,
        17: 2,
    },
    sector_weights_poor={
        1: 30,
        2: 6,
        3: 12,
        4: 5,
        6: 3,
        9: 7,
        11: 12,
        12: 12,
        14: 6,
        19: 5,
        13: 1,
        20: 1,
    },
    marga_share=0.06,
    sls_word="",
    coastal=False,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (TANJUNGBALAI, NATIONAL)}


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str = ","
    bom: bool = False
    crlf: bool = False


@dataclass(frozen=True)
class GeneratorConfig:
    """Everything one run depends on: same config, same bytes."""

    profile: Profile
    out: Path
    seed: int = 2017
    households: int = SAMPLE_HOUSEHOLDS
    regions: Path | None = None
    file_format: str = "csv"
    csv: CsvOptions = field(default_factory=CsvOptions)
    dirt_rates: dict[str, float] = field(default_factory=dict)  # "table.kind" -> rate
    dirt_scale: float = 1.0
    chunk_size: int = DEFAULT_CHUNK_SIZE
    progress: bool = True
    reference_dir: Path = REFERENCE_DIR
    deliveries: int = 1  # successive deliveries, the last one the single-delivery dataset
    interval_months: int = DEFAULT_INTERVAL_MONTHS

    @property
    def individuals(self) -> int:
        return individuals_for(self.households)

    @property
    def label(self) -> str:
        return "national" if self.regions is not None else self.profile.label
