"""The run-level plan: how many households live in each desa and SLS, which generated households
become orphans, and which households, individuals and non-BDT PKH families each chunk makes.

Generated households are numbered 0..H-1 ("positions") in the order of the files: by desa code,
then SLS, then serial. A chunk is a range of positions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scripts.generate.config import individuals_for, pkh_non_bdt_families_for
from scripts.generate.names import sls_names
from scripts.generate.profiles import Regions
from scripts.generate.sampling import Stream, choose, cumulative_split, group_starts, stream_rng

MAX_SERIAL = 999_999
SLS_PER_DESA = (3, 12)


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # first position
    stop: int  # one past the last position
    individuals: int  # members of the chunk's households (orphans included)
    non_bdt_families: int  # PKH families outside the BDT generated with this chunk

    @property
    def households(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class Plan:
    regions: Regions
    households: int  # rows of the household file
    individuals: int  # rows of the individual file
    desa_weight: np.ndarray  # float per desa
    desa_households: np.ndarray  # generated households per desa (orphans included)
    sls_desa: np.ndarray  # desa index of each SLS (SLS ordered by desa, then number)
    sls_number: np.ndarray  # 1-based number of the SLS in its desa
    sls_name: np.ndarray  # object (str)
    sls_households: np.ndarray  # generated households per SLS
    orphan_positions: np.ndarray  # sorted positions whose household row is dropped
    chunks: tuple[Chunk, ...]

    @property
    def generated(self) -> int:
        return self.households + self.orphan_positions.shape[0]

    def desa_of(self, positions: np.ndarray) -> np.ndarray:
        """Desa index of each position."""
        return self.sls_desa[self.sls_of(positions)]

    def sls_of(self, positions: np.ndarray) -> np.ndarray:
        """SLS index of each position."""
        first = group_starts(self.sls_households)
        return np.searchsorted(first + self.sls_households, positions, side="right")

    def serial_of(self, positions: np.ndarray) -> np.ndarray:
        """1-based serial of each position within its desa (RUTA6)."""
        desa_first = group_starts(self.desa_households)
        return positions - desa_first[self.desa_of(positions)] + 1


def desa_weights(regions: Regions, seed: int) -> np.ndarray:
    """Random but stable (for a seed) relative number of BDT households per desa: a kabupaten
    factor times a desa factor."""
    rng = stream_rng(seed, Stream.REGIONS)
    kab = regions.desa_code // 1_000_000
    _, kab_index = np.unique(kab, return_inverse=True)
    kab_factor = rng.lognormal(0.0, 0.45, size=kab_index.max() + 1)[kab_index]
    return kab_factor * rng.lognormal(0.0, 0.4, size=len(regions))


def make_plan(
    regions: Regions,
    households: int,
    orphans: int,
    chunk_size: int,
    seed: int,
    sls_word: str,
) -> Plan:
    """Spread `households` + `orphans` generated households over the regions' desa and SLS."""
    rng = stream_rng(seed, Stream.PLAN)
    generated = households + orphans
    weight = desa_weights(regions, seed)
    desa_households = rng.multinomial(generated, weight / weight.sum())
    if desa_households.max(initial=0) > MAX_SERIAL:
        raise ValueError(
            f"{desa_households.max()} households in one desa: the 6-digit serial of IDBDT allows "
            f"{MAX_SERIAL}; use --regions or fewer --households"
        )
    sls_count = rng.integers(SLS_PER_DESA[0], SLS_PER_DESA[1] + 1, size=len(regions))
    sls_desa = np.repeat(np.arange(len(regions)), sls_count)
    sls_households = split_within_groups(
        desa_households, sls_desa, rng.gamma(2.0, 1.0, size=sls_desa.shape[0])
    )
    names = sls_names(sls_count, regions.is_kota, sls_word)
    sls_first = group_starts(sls_count)
    sls_number = np.arange(sls_desa.shape[0]) - sls_first[sls_desa] + 1
    orphan_positions = choose(rng, np.arange(generated, dtype=np.int64), orphans)
    starts = np.arange(0, generated, max(1, chunk_size), dtype=np.int64)
    stops = np.minimum(starts + chunk_size, generated)
    sizes = stops - starts
    individuals = individuals_for(households)
    chunk_individuals = cumulative_split(individuals, sizes)
    chunk_non_bdt = cumulative_split(pkh_non_bdt_families_for(households), sizes)
    chunks = tuple(
        Chunk(i, int(a), int(b), int(m), int(k))
        for i, (a, b, m, k) in enumerate(
            zip(starts, stops, chunk_individuals, chunk_non_bdt, strict=True)
        )
    )
    return Plan(
        regions=regions,
        households=households,
        individuals=individuals,
        desa_weight=weight,
        desa_households=desa_households,
        sls_desa=sls_desa,
        sls_number=sls_number,
        sls_name=names,
        sls_households=sls_households,
        orphan_positions=orphan_positions,
        chunks=chunks,
    )


def split_within_groups(totals: np.ndarray, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Split each group's total over its members (rows of `group`, grouped) in proportion to
    `weight`, rounding on the cumulative share so that each group's parts sum to its total."""
    sizes = np.bincount(group, minlength=totals.shape[0])
    first = group_starts(sizes)
    cumulative = np.cumsum(weight)
    before = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    group_sum = cumulative[first + sizes - 1] - before
    share = (cumulative - before[group]) / group_sum[group]
    target = np.round(share * totals[group]).astype(np.int64)
    previous = np.concatenate([[0], target[:-1]])
    previous[first] = 0
    return target - previous
