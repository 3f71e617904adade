"""Households of one chunk: location, ranking, size, housing and assets.

A latent poverty score z (0 = least poor, 1 = poorest) follows the PMT percentile and drives
everything else: poorer households are larger, live in wood or earth-floored houses, cook with
firewood or kerosene, lack PLN electricity and own toilets, and own fewer assets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from scripts.generate.config import Profile
from scripts.generate.names import addresses
from scripts.generate.plan import Chunk, Plan
from scripts.generate.sampling import Stream, draw_codes, draw_yes, stream_rng

MAX_SIZE = 14
BLANK = -1


@dataclass
class Households:
    """One chunk's generated households (orphans included); `columns` holds the household file's
    coded columns by contract name, BLANK (-1) where empty."""

    positions: np.ndarray
    desa: np.ndarray  # index into plan.regions
    sls: np.ndarray  # index into plan SLS arrays
    idbdt: np.ndarray  # int64, 16 digits
    serial: np.ndarray
    percentile: np.ndarray  # 0 = unranked
    z: np.ndarray
    size: np.ndarray
    head_sector: np.ndarray  # lapangan_usaha code of the head's job if the head works
    is_orphan: np.ndarray  # bool: row dropped from the household file
    address: pa.Array
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return int(self.positions.shape[0])

    @property
    def desil(self) -> np.ndarray:
        """1-4 for percentiles 1-40, 0 otherwise (non-desil)."""
        return np.where(
            (self.percentile >= 1) & (self.percentile <= 40), (self.percentile + 9) // 10, 0
        )


def percentiles(rng: np.random.Generator, profile: Profile, n: int) -> np.ndarray:
    """National welfare percentiles by the profile's desil shares; 0 = unranked (blank)."""
    shares = [*profile.desil_shares, profile.above_40_share, profile.unranked_share]
    group = rng.choice(6, size=n, p=np.asarray(shares) / sum(shares))
    within = rng.integers(1, 11, size=n)
    return np.where(group < 5, group * 10 + within, 0)


def poverty_scores(rng: np.random.Generator, percentile: np.ndarray) -> np.ndarray:
    """Latent poverty score in [0, 1] from the percentile (noisy, as a PMT is)."""
    ranked = (40.5 - percentile) / 40.0 + rng.normal(0.0, 0.07, size=percentile.shape[0])
    unranked = rng.uniform(0.1, 0.6, size=percentile.shape[0])
    return np.clip(np.where(percentile > 0, ranked, unranked), 0.0, 1.0)


def household_sizes(rng: np.random.Generator, z: np.ndarray, members: int) -> np.ndarray:
    """Sizes that grow with poverty and sum exactly to `members`."""
    n = z.shape[0]
    lam = np.clip((members / n - 1.0) + 2.2 * (z - z.mean()), 0.2, None)
    size = np.clip(1 + rng.poisson(lam), 1, MAX_SIZE)
    for _ in range(1000):
        gap = members - int(size.sum())
        if gap == 0:
            return size
        can = size < MAX_SIZE if gap > 0 else size > 1
        candidates = np.flatnonzero(can)
        weight = (z[candidates] + 0.2) if gap > 0 else (1.2 - z[candidates])
        take = min(abs(gap), candidates.shape[0])
        pick = rng.choice(candidates, size=take, replace=False, p=weight / weight.sum())
        size[pick] += 1 if gap > 0 else -1
    raise ValueError(f"cannot fit {members} members into {n} households")


def housing(
    rng: np.random.Generator, z: np.ndarray, size: np.ndarray, coastal: bool
) -> dict[str, np.ndarray]:
    """Dwelling tenure, materials, water, energy and sanitation codes."""
    c: dict[str, np.ndarray] = {}
    c["sta_bangunan"] = draw_codes(
        rng, z, {1: 70, 2: 15, 3: 12, 4: 1, 5: 2}, {1: 58, 2: 12, 3: 25, 4: 0.5, 5: 4.5}
    )
    c["sta_lahan"] = draw_codes(rng, z, {1: 72, 2: 18, 3: 7, 4: 3}, {1: 45, 2: 30, 3: 20, 4: 5})
    median = 54.0 - 30.0 * z
    area = rng.lognormal(np.log(median), 0.35) * (size / 4.5) ** 0.3
    c["luas_lantai"] = np.clip(np.round(area), 6, 400).astype(np.int64)
    if coastal:
        lantai = (
            {2: 30, 4: 10, 6: 35, 5: 10, 8: 10, 9: 3, 1: 1, 3: 1},
            {2: 2, 4: 3, 6: 33, 5: 5, 8: 37, 9: 16, 7: 4},
        )
        dinding = ({1: 70, 3: 25, 2: 3, 7: 2}, {1: 22, 3: 58, 4: 10, 6: 5, 2: 3, 5: 2})
        air = (
            {1: 10, 2: 45, 3: 30, 4: 5, 5: 7, 6: 3},
            {2: 35, 3: 8, 4: 15, 5: 10, 6: 8, 7: 12, 10: 4, 11: 8},
        )
        masak = ({3: 70, 2: 15, 5: 5, 1: 3, 8: 4, 7: 3}, {3: 48, 5: 22, 8: 22, 7: 5, 9: 3})
        tinja = ({1: 80, 2: 8, 3: 4, 4: 8}, {1: 25, 2: 10, 3: 10, 4: 45, 5: 8, 6: 2})
    else:
        lantai = (
            {2: 35, 4: 12, 6: 35, 5: 5, 8: 5, 9: 6, 1: 1, 3: 1},
            {2: 3, 4: 4, 6: 38, 5: 3, 8: 15, 9: 32, 7: 5},
        )
        dinding = ({1: 75, 3: 18, 2: 4, 4: 3}, {1: 30, 3: 30, 4: 25, 6: 8, 2: 5, 5: 2})
        air = (
            {1: 6, 2: 30, 3: 20, 4: 4, 5: 20, 6: 15, 8: 5},
            {2: 10, 3: 5, 4: 5, 5: 15, 6: 20, 7: 20, 8: 8, 9: 7, 10: 6, 11: 4},
        )
        masak = ({3: 70, 2: 15, 5: 5, 1: 3, 8: 4, 7: 3}, {3: 35, 5: 10, 8: 48, 7: 4, 9: 3})
        tinja = ({1: 80, 2: 8, 3: 8, 4: 4}, {1: 25, 2: 8, 3: 35, 4: 20, 5: 10, 6: 2})
    c["lantai"] = draw_codes(rng, z, *lantai)
    c["dinding"] = draw_codes(rng, z, *dinding)
    c["kondisi_dinding"] = draw_codes(rng, z, {1: 85, 2: 15}, {1: 35, 2: 65})
    c["atap"] = draw_codes(
        rng, z, {6: 70, 4: 5, 3: 8, 5: 10, 2: 4, 1: 3}, {6: 70, 9: 18, 5: 7, 8: 3, 10: 2}
    )
    c["kondisi_atap"] = draw_codes(rng, z, {1: 85, 2: 15}, {1: 30, 2: 70})
    rooms = 1 + rng.binomial(4, 0.38 - 0.25 * z)
    c["jumlah_kamar"] = np.minimum(rooms, size + 1)
    source = draw_codes(rng, z, *air)
    c["sumber_airminum"] = source
    c["cara_peroleh_airminum"] = np.select([np.isin(source, (1, 2, 4)), source == 3], [1, 2], 3)
    light = draw_codes(rng, z, {1: 98, 2: 1.5, 3: 0.5}, {1: 85, 2: 9, 3: 6})
    c["sumber_penerangan"] = light
    power = draw_codes(rng, z, {1: 30, 2: 45, 3: 15, 4: 4, 6: 6}, {1: 60, 2: 10, 6: 30})
    c["daya"] = np.where(light == 1, power, BLANK)
    c["bb_masak"] = draw_codes(rng, z, *masak)
    toilet = draw_codes(rng, z, {1: 85, 2: 10, 3: 3, 4: 2}, {1: 40, 2: 25, 3: 15, 4: 20})
    c["fasbab"] = toilet
    closet = draw_codes(rng, z, {1: 90, 2: 5, 3: 5}, {1: 55, 2: 15, 3: 30})
    c["kloset"] = np.where(toilet == 4, 4, closet)
    c["buang_tinja"] = draw_codes(rng, z, *tinja)
    return c


# (p for the least poor, p for the poorest) of owning each asset.
ASSETS = {
    "ada_tabung_gas": (0.25, 0.03),
    "ada_lemari_es": (0.45, 0.06),
    "ada_ac": (0.03, 0.0),
    "ada_pemanas": (0.02, 0.0),
    "ada_telepon": (0.04, 0.003),
    "ada_tv": (0.93, 0.55),
    "ada_emas": (0.16, 0.02),
    "ada_laptop": (0.10, 0.004),
    "ada_sepeda": (0.30, 0.14),
    "ada_motor": (0.78, 0.25),
    "ada_mobil": (0.04, 0.001),
}
# (fisher household, other household) probabilities of owning boats.
BOATS = {
    "ada_perahu": (0.45, 0.015),
    "ada_motor_tempel": (0.25, 0.004),
    "ada_perahu_motor": (0.30, 0.004),
    "ada_kapal": (0.03, 0.0005),
}


def yes_no(flag: np.ndarray) -> np.ndarray:
    """1 (ya) / 2 (tidak)."""
    return np.where(flag, 1, 2)


def assets(rng: np.random.Generator, z: np.ndarray, fisher: np.ndarray) -> dict[str, np.ndarray]:
    """Durable assets, boats (fishing households), land elsewhere and livestock."""
    n = z.shape[0]
    c = {name: yes_no(draw_yes(rng, z, *p)) for name, p in ASSETS.items()}
    wealth = 1.3 - z
    for name, (p_fisher, p_other) in BOATS.items():
        p = np.where(fisher, p_fisher, p_other) * wealth
        c[name] = yes_no(rng.random(n) < p)
    land = draw_yes(rng, z, 0.20, 0.04)
    c["aset_tak_bergerak"] = yes_no(land)
    area = np.round(rng.lognormal(np.log(300), 0.9, size=n) / 10) * 10
    c["luas_atb"] = np.where(land, np.maximum(area, 10), BLANK).astype(np.int64)
    c["rumah_lain"] = yes_no(draw_yes(rng, z, 0.06, 0.01))
    for name, p, mean in (
        ("jumlah_sapi", 0.006, 2),
        ("jumlah_kerbau", 0.001, 2),
        ("jumlah_kuda", 0.0003, 1),
        ("jumlah_babi", 0.008, 3),
        ("jumlah_kambing", 0.02, 3),
    ):
        has = rng.random(n) < p
        c[name] = np.where(has, 1 + rng.poisson(mean - 1, size=n), 0)
    return c


# Building area beside floor area: about the same, larger where a shop or a shed is attached.
BUILDING_EXTRA_SHARE = 0.35
# (p for the least poor, p for the poorest) of owning a mobile phone.
PHONE = (0.93, 0.58)


def phone_and_building_area(
    seed: int, chunk: int, z: np.ndarray, floor_area: np.ndarray
) -> dict[str, np.ndarray]:
    """ada_hp and luas_bangunan (PBDT 2015, issue #17) of a chunk's households, from their own
    stream so that adding them left the other columns' draws unchanged."""
    rng = stream_rng(seed, Stream.QUESTIONNAIRE_HOUSEHOLDS, chunk)
    n = z.shape[0]
    extra = rng.random(n) < BUILDING_EXTRA_SHARE
    factor = np.where(extra, 1.0 + rng.gamma(2.0, 0.15, size=n), 1.0)
    return {
        "ada_hp": yes_no(draw_yes(rng, z, *PHONE)),
        "luas_bangunan": np.round(floor_area * factor).astype(np.int64),
    }


def make_households(plan: Plan, chunk: Chunk, profile: Profile, seed: int) -> Households:
    """The chunk's households with everything that does not depend on their members."""
    rng = stream_rng(seed, Stream.HOUSEHOLDS, chunk.index)
    positions = np.arange(chunk.start, chunk.stop, dtype=np.int64)
    n = positions.shape[0]
    sls = plan.sls_of(positions)
    desa = plan.sls_desa[sls]
    serial = plan.serial_of(positions)
    percentile = percentiles(rng, profile, n)
    z = poverty_scores(rng, percentile)
    size = household_sizes(rng, z, chunk.individuals)
    head_sector = draw_codes(rng, z, profile.sector_weights_rich, profile.sector_weights_poor)
    fisher = np.isin(head_sector, (4, 5))
    columns = housing(rng, z, size, profile.coastal) | assets(rng, z, fisher)
    columns |= phone_and_building_area(seed, chunk.index, z, columns["luas_lantai"])
    return Households(
        positions=positions,
        desa=desa,
        sls=sls,
        idbdt=plan.regions.desa_code[desa] * 1_000_000 + serial,
        serial=serial,
        percentile=percentile,
        z=z,
        size=size,
        head_sector=head_sector,
        is_orphan=np.isin(positions, plan.orphan_positions),
        address=addresses(stream_rng(seed, Stream.NAMES, 2_000_000 + chunk.index), n),
        columns=columns,
    )
