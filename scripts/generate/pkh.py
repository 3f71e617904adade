"""PKH (Program Keluarga Harapan) families and their payment stages 2016-2017.

BDT families are drawn mostly from desil 1-2 households with young or school children, pregnant
women, elderly or disabled members; the recipient is the wife, else the female head, else the
head. Families outside the BDT (appended to BDT 2017) get their own NIK and KK."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from scripts.generate.config import PKH_STAGES, REFERENCE_DATE
from scripts.generate.households import Households
from scripts.generate.ids import UniqueSerials, date_digits, identity_bases
from scripts.generate.individuals import (
    FEMALE,
    SPOUSE,
    Individuals,
    date_parts,
    head_rows,
    nik_prefixes_for,
)
from scripts.generate.names import addresses, marga_indices, person_names
from scripts.generate.plan import Chunk, Plan
from scripts.generate.profiles import NikPrefixes
from scripts.generate.sampling import Stream, stream_rng

ABSENT, SALUR, GAGAL, DITANGGUHKAN = 0, 1, 2, 3
STATUS_LABELS = ("", "SALUR", "GAGAL SALUR", "DITANGGUHKAN")
ENTRY_P = np.array([0.55, 0.04, 0.03, 0.03, 0.25, 0.04, 0.03, 0.03])
P_PKH_BY_DESIL = np.array([0.02, 0.55, 0.38, 0.10, 0.05])  # index 0 = non-desil
WITH_IDBDT_SHARE = 0.90
# (month, day) windows of each tahap's payments.
STAGE_WINDOWS = {
    1: ((2, 15), (3, 31)),
    2: ((5, 2), (6, 15)),
    3: ((8, 1), (9, 15)),
    4: ((11, 1), (12, 15)),
}
AMOUNT_2017 = {1: 500_000, 2: 500_000, 3: 500_000, 4: 390_000}


@dataclass
class Components:
    """PKH components per family: young children/pregnant, school children by level, elderly,
    disabled."""

    early: np.ndarray
    sd: np.ndarray
    smp: np.ndarray
    sma: np.ndarray
    elderly: np.ndarray
    disabled: np.ndarray

    def take(self, rows: np.ndarray) -> Components:
        return Components(*(getattr(self, f.name)[rows] for f in fields(self)))

    def eligible(self) -> np.ndarray:
        return (self.early + self.sd + self.smp + self.sma + self.elderly + self.disabled) > 0

    def stage_amount_2016(self) -> np.ndarray:
        """Per-stage 2016 amount: a quarter of the yearly components, multiples of 25,000."""
        yearly = (
            500_000
            + 1_200_000 * np.minimum(self.early, 1)
            + 450_000 * self.sd
            + 750_000 * self.smp
            + 1_000_000 * self.sma
            + 1_800_000 * (self.elderly > 0)
            + 1_800_000 * (self.disabled > 0)
        )
        stage = np.round(np.minimum(yearly, 3_700_000) / 4 / 25_000) * 25_000
        return np.clip(stage, 250_000, 950_000).astype(np.int64)


@dataclass
class PkhFamilies:
    """One chunk's PKH families (BDT families first, then families outside the BDT)."""

    household: np.ndarray  # index into the chunk's Households, -1 outside the BDT
    idpkh: np.ndarray  # int64
    idbdt: np.ndarray  # int64, 0 = blank
    desa: np.ndarray  # index into plan.regions
    recipient_nik: np.ndarray
    recipient_row: np.ndarray  # row in Individuals, -1 outside the BDT
    nokk: np.ndarray
    name: pa.Array
    address: pa.Array
    status: np.ndarray  # (families, 8) ABSENT/SALUR/GAGAL/DITANGGUHKAN
    amount_2016: np.ndarray

    def __len__(self) -> int:
        return int(self.household.shape[0])

    def in_year(self, year: int) -> np.ndarray:
        cols = [i for i, (y, _) in enumerate(PKH_STAGES) if y == year]
        return (self.status[:, cols] != ABSENT).any(axis=1)


def components_of(households: Households, people: Individuals) -> Components:
    n = len(households)
    hh, age = people.hh, people.age
    level = people.columns["pendidikan_tertinggi"]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(hh[mask], minlength=n)

    school = people.in_school
    return Components(
        early=count((age < 6) | people.pregnant),
        sd=count(school & np.isin(level, (1, 2, 3))),
        smp=count(school & np.isin(level, (4, 5, 6))),
        sma=count(school & np.isin(level, (7, 8, 9)) & (age <= 21)),
        elderly=count(age >= 70),
        disabled=count(people.columns["jenis_cacat"] > 0),
    )


def recipient_rows(households: Households, people: Individuals) -> np.ndarray:
    """Row of each household's PKH recipient: wife, else female head, else head."""
    recipient = head_rows(people).copy()
    wife = np.flatnonzero((people.hub == SPOUSE) & (people.sex == FEMALE))
    recipient[people.hh[wife]] = wife
    return recipient


def stage_statuses(rng: np.random.Generator, n: int) -> np.ndarray:
    """Stage-by-stage status: entry at some stage, then several stages, sometimes a one-stage gap
    (absent or suspended), sometimes an exit; a few failed payments."""
    stages = len(PKH_STAGES)
    entry = rng.choice(stages, size=n, p=ENTRY_P)
    exits = (rng.random(n) < 0.12) & (entry <= stages - 4)
    exit_stage = np.where(
        exits, entry + 3 + np.floor(rng.random(n) * (stages - entry - 3)).astype(np.int64), stages
    )
    s = np.arange(stages)[None, :]
    present = (s >= entry[:, None]) & (s < exit_stage[:, None])
    status = np.where(present, SALUR, ABSENT)
    length = exit_stage - entry
    gap = (rng.random(n) < 0.10) & (length >= 3)
    gap_stage = entry + 1 + np.floor(rng.random(n) * np.maximum(length - 2, 1)).astype(np.int64)
    suspended = rng.random(n) < 0.5
    rows = np.flatnonzero(gap)
    status[rows, gap_stage[rows]] = np.where(suspended[rows], DITANGGUHKAN, ABSENT)
    failed = (status == SALUR) & (rng.random(status.shape) < 0.02)
    status[failed] = GAGAL
    return status


def make_pkh_families(
    households: Households,
    people: Individuals,
    plan: Plan,
    chunk: Chunk,
    prefixes: NikPrefixes,
    nik_registry: UniqueSerials,
    kk_registry: UniqueSerials,
    first_serial: int,
    marga_share: float,
    seed: int,
) -> PkhFamilies:
    rng = stream_rng(seed, Stream.PKH, chunk.index)
    comps = components_of(households, people)
    p = P_PKH_BY_DESIL[households.desil]
    chosen = comps.eligible() & ~households.is_orphan & (rng.random(len(households)) < p)
    bdt = np.flatnonzero(chosen)
    recipient = recipient_rows(households, people)[bdt]
    head_of = head_rows(people)

    # Families outside the BDT: a desa of the profile, a mother aged 18-45 with her own NIK.
    k = chunk.non_bdt_families
    desa = rng.choice(len(plan.regions), size=k, p=plan.desa_weight / plan.desa_weight.sum())
    birth = np.datetime64(REFERENCE_DATE.isoformat(), "D") - rng.integers(
        18 * 365 + 5, 46 * 365, size=k
    )
    year, month, day = date_parts(birth)
    home = plan.regions.nik_prefix[desa]
    prefix = nik_prefixes_for(rng, home, prefixes)
    nik = nik_registry.issue(
        rng, identity_bases(prefix, date_digits(year, month, day, np.ones(k, dtype=np.int64)))
    )
    issued = np.datetime64("2004-01-01") + rng.integers(0, 4199, size=k)
    k_year, k_month, k_day = date_parts(issued)
    kk = kk_registry.issue(rng, identity_bases(home, date_digits(k_year, k_month, k_day)))
    names_rng = stream_rng(seed, Stream.NAMES, 1_000_000 + chunk.index)
    marga = np.where(names_rng.random(k) < marga_share, marga_indices(names_rng, k), -1)
    outside_names = person_names(names_rng, np.ones(k, dtype=bool), marga)
    outside_address = addresses(names_rng, k)
    outside = Components(
        early=rng.poisson(0.7, size=k),
        sd=rng.poisson(0.9, size=k),
        smp=rng.poisson(0.4, size=k),
        sma=rng.poisson(0.3, size=k),
        elderly=(rng.random(k) < 0.05).astype(np.int64),
        disabled=(rng.random(k) < 0.03).astype(np.int64),
    )

    family_desa = np.concatenate([households.desa[bdt], desa])
    total = bdt.shape[0] + k
    status = stage_statuses(rng, total)
    entry_year = np.where(np.argmax(status != ABSENT, axis=1) < 4, 16, 17)
    kab = plan.regions.desa_code[family_desa] // 1_000_000
    serial = first_serial + np.arange(total, dtype=np.int64)
    with_idbdt = rng.random(bdt.shape[0]) < WITH_IDBDT_SHARE
    return PkhFamilies(
        household=np.concatenate([bdt, np.full(k, -1, dtype=np.int64)]),
        idpkh=kab * 10_000_000_000 + entry_year * 100_000_000 + serial,
        idbdt=np.concatenate(
            [np.where(with_idbdt, households.idbdt[bdt], 0), np.zeros(k, dtype=np.int64)]
        ),
        desa=family_desa,
        recipient_nik=np.concatenate([people.nik[recipient], nik]),
        recipient_row=np.concatenate([recipient, np.full(k, -1, dtype=np.int64)]),
        nokk=np.concatenate([people.nokk[head_of[bdt]], kk]),
        name=pa.concat_arrays(
            [people.name.take(pa.array(recipient, type=pa.int64())), outside_names]
        ),
        address=pa.concat_arrays(
            [households.address.take(pa.array(bdt, type=pa.int64())), outside_address]
        ),
        status=status,
        amount_2016=np.concatenate(
            [comps.take(bdt).stage_amount_2016(), outside.stage_amount_2016()]
        ),
    )


def payment_dates(rng: np.random.Generator, year: int, tahap: int, n: int) -> np.ndarray:
    (m0, d0), (m1, d1) = STAGE_WINDOWS[tahap]
    start = np.datetime64(f"{year}-{m0:02d}-{d0:02d}")
    end = np.datetime64(f"{year}-{m1:02d}-{d1:02d}")
    return start + rng.integers(0, int((end - start).astype(int)) + 1, size=n)


def stage_amounts(families: PkhFamilies, year: int, tahap: int) -> np.ndarray:
    if year == 2016:
        return families.amount_2016
    return np.full(len(families), AMOUNT_2017[tahap], dtype=np.int64)
