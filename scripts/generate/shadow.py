"""The shadow population of a chunk: households and members generated beside it, from random
streams of their own, for the households that leave the registry and the members who die
before the last delivery (history.py). Their IDBDT serials come after the desa's (IdentitySource)
and their NIK and KK serials start above SHADOW_SERIAL_OFFSET, so that they never meet the
last delivery's numbers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa

from scripts.generate.config import PKH_STAGES, GeneratorConfig, individuals_for
from scripts.generate.history import IdentitySource
from scripts.generate.households import make_households
from scripts.generate.ids import UniqueSerials
from scripts.generate.individuals import make_individuals
from scripts.generate.pkh import PkhFamilies
from scripts.generate.plan import Chunk, Plan
from scripts.generate.population import Population, joined
from scripts.generate.profiles import NikPrefixes
from scripts.generate.programs import program_flags

# Stream index of the shadow population's draws: chunk + SHADOW_CHUNK_BASE + batch x
# SHADOW_BATCH_STRIDE, apart from every single-delivery stream.
SHADOW_CHUNK_BASE = 300_000_000
SHADOW_BATCH_STRIDE = 1_000_000  # above any chunk index
# The shadow population's NIK and KK serials start above this (real serials stay far below).
SHADOW_SERIAL_OFFSET = 5_000


@dataclass
class ShadowRegistries:
    """The numbers issued to the shadow population over the run."""

    ids: IdentitySource
    nik: UniqueSerials = field(default_factory=UniqueSerials)
    kk: UniqueSerials = field(default_factory=UniqueSerials)


def shadow_population(
    config: GeneratorConfig,
    plan: Plan,
    prefixes: NikPrefixes,
    chunk: Chunk,
    registries: ShadowRegistries,
    positions: np.ndarray,
) -> Population:
    """Households at these plan positions with their members, drawn from streams of their own,
    with new IDBDTs and NIK and KK serials from 5001; made in batches of at most the plan's
    households (batch b draws from chunk index SHADOW_CHUNK_BASE + b x SHADOW_BATCH_STRIDE +
    the chunk's)."""
    batches = [
        shadow_batch(
            config, plan, prefixes, chunk, registries, positions[start : start + plan.generated], b
        )
        for b, start in enumerate(range(0, positions.shape[0], plan.generated))
    ]
    population = batches[0]
    for batch in batches[1:]:
        batch.people = replace(batch.people, hh=batch.people.hh + len(population.households))
        population = joined(population, batch)
    return population


def shadow_batch(
    config: GeneratorConfig,
    plan: Plan,
    prefixes: NikPrefixes,
    chunk: Chunk,
    registries: ShadowRegistries,
    positions: np.ndarray,
    batch: int,
) -> Population:
    """One batch of shadow_population (at most plan.generated households)."""
    n = positions.shape[0]
    index = SHADOW_CHUNK_BASE + batch * SHADOW_BATCH_STRIDE + chunk.index
    shadow_chunk = Chunk(index, 0, n, individuals_for(n), 0)
    households = make_households(plan, shadow_chunk, config.profile, config.seed)
    sls = plan.sls_of(positions)
    desa = plan.sls_desa[sls]
    serial = registries.ids.serials(desa)
    households = replace(
        households,
        positions=registries.ids.positions(n),
        sls=sls,
        desa=desa,
        serial=serial,
        idbdt=plan.regions.desa_code[desa] * 1_000_000 + serial,
        is_orphan=np.zeros(n, dtype=bool),
    )
    people = make_individuals(
        households,
        plan,
        shadow_chunk,
        config.profile,
        prefixes,
        registries.nik,
        registries.kk,
        config.seed,
    )
    people = replace(
        people, nik=people.nik + SHADOW_SERIAL_OFFSET, nokk=people.nokk + SHADOW_SERIAL_OFFSET
    )
    household_flags, person_flags = program_flags(
        households, people, no_pkh_families(), shadow_chunk, config.seed
    )
    return Population(households, people, household_flags, person_flags)


def no_pkh_families() -> PkhFamilies:
    empty = np.zeros(0, dtype=np.int64)
    return PkhFamilies(
        household=empty,
        idpkh=empty,
        idbdt=empty,
        desa=empty,
        recipient_nik=empty,
        recipient_row=empty,
        nokk=empty,
        name=pa.array([], type=pa.string()),
        address=pa.array([], type=pa.string()),
        status=np.zeros((0, len(PKH_STAGES)), dtype=np.int64),
        amount_2016=empty,
    )
