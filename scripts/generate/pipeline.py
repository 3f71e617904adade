"""One generator run: plan, chunks (households -> members -> PKH -> flags -> text -> dirt ->
files), FKP, manifest; written into a temporary folder beside --out and moved into place at the
end, so that a failed run never leaves half a dataset."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from scripts.contract import raw_table
from scripts.generate.config import PKH_STAGES, REFERENCE_DATE, GeneratorConfig
from scripts.generate.dirt import (
    HH,
    IND,
    PKH,
    Defect,
    DirtBudget,
    count_for,
    header_variants,
    household_dirt,
    individual_dirt,
    pkh_dirt,
    resolve_rates,
)
from scripts.generate.fkp import fkp_columns
from scripts.generate.households import Households, make_households
from scripts.generate.ids import UniqueSerials
from scripts.generate.individuals import make_individuals
from scripts.generate.manifest import (
    DEFECTS,
    MANIFEST,
    DefectRow,
    defect_summary,
    file_entry,
    previous_outputs,
    write_manifest,
)
from scripts.generate.pkh import PkhFamilies, make_pkh_families
from scripts.generate.plan import Chunk, Plan, make_plan
from scripts.generate.profiles import NikPrefixes, Regions, load_regions, nik_prefixes
from scripts.generate.programs import program_flags
from scripts.generate.render import household_columns, individual_columns, pkh_stage_columns
from scripts.generate.sampling import Stream, stream_rng
from scripts.generate.writers import XLSX_MAX_DATA_ROWS, TableWriter, TooManyRowsError, make_writer
from scripts.restricted_files import owner_only_files, owner_only_folder

HEADER_CHUNK = 1_000_000_000  # stream index of the file-level (header) draws
FKP = "fkp_sls_results"


@dataclass(frozen=True)
class OutputFiles:
    households: str
    individuals: str
    pkh: tuple[str, ...]  # one per PKH_STAGES entry
    fkp: str

    @classmethod
    def named(cls, label: str, ext: str) -> OutputFiles:
        return cls(
            households=f"bdt_rt_{label}.{ext}",
            individuals=f"bdt_art_{label}.{ext}",
            pkh=tuple(f"pkh_{year}_tahap{tahap}.{ext}" for year, tahap in PKH_STAGES),
            fkp=f"fkp_sls_{label}.{ext}",
        )

    def all(self) -> list[str]:
        return [self.households, self.individuals, *self.pkh, self.fkp]


@dataclass
class Facts:
    desil: Counter = field(default_factory=Counter)
    pkh_with_idbdt: int = 0
    pkh_without_idbdt: int = 0
    pkh_non_bdt: int = 0
    orphan_households: int = 0
    orphan_individuals: int = 0

    def add_chunk(self, households: Households, families: PkhFamilies) -> None:
        kept = ~households.is_orphan
        percentile = households.percentile[kept]
        desil = households.desil[kept]
        for d in (1, 2, 3, 4):
            self.desil[f"desil_{d}"] += int((desil == d).sum())
        self.desil["non_desil_ranked"] += int((percentile > 40).sum())
        self.desil["non_desil_unranked"] += int((percentile == 0).sum())
        in_bdt = families.household >= 0
        self.pkh_with_idbdt += int((in_bdt & (families.idbdt > 0)).sum())
        self.pkh_without_idbdt += int((in_bdt & (families.idbdt == 0)).sum())
        self.pkh_non_bdt += int((~in_bdt).sum())
        self.orphan_households += int(households.is_orphan.sum())
        self.orphan_individuals += int(households.size[households.is_orphan].sum())


def check_config(config: GeneratorConfig) -> None:
    if config.households < 1:
        raise ValueError("--households must be at least 1")
    if config.chunk_size < 1:
        raise ValueError("--chunk-size must be at least 1")
    if config.profile.name != "tanjungbalai" and config.regions is None:
        raise ValueError(f"profile {config.profile.name} needs --regions")
    if config.file_format == "xlsx" and config.individuals > XLSX_MAX_DATA_ROWS:
        raise TooManyRowsError(
            f"{config.individuals:,} individual rows do not fit in an Excel sheet "
            f"({XLSX_MAX_DATA_ROWS:,} data rows at most); use --format csv or parquet"
        )
    if config.out.exists() and not config.out.is_dir():
        raise ValueError(f"--out {config.out} exists and is not a folder")


def generate(config: GeneratorConfig) -> dict[str, object]:
    """Write the raw files and the manifest into config.out; return the manifest."""
    check_config(config)
    regions = load_regions(config.regions, config.reference_dir)
    prefixes = nik_prefixes(config.reference_dir)
    rates = resolve_rates(config.dirt_rates, config.dirt_scale)
    orphans = count_for(rates[f"{IND}.orphan_individual"], config.households)
    plan = make_plan(
        regions, config.households, orphans, config.chunk_size, config.seed, config.profile.sls_word
    )
    out = config.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # names, NIKs and addresses (synthetic, but the files stand for real exports): owner-only
    with owner_only_files():
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            files = OutputFiles.named(config.label, config.file_format)
            manifest = write_dataset(config, plan, regions, prefixes, rates, files, staging)
            install(staging, out, [*files.all(), DEFECTS, MANIFEST])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def install(staging: Path, out: Path, names: list[str]) -> None:
    """Replace the previous generator outputs in `out` (those of its manifest and those of the
    same names) by the new files; other files are left alone. The folder is owner-only."""
    owner_only_folder(out)
    for name in sorted(set(previous_outputs(out)) | set(names)):
        (out / name).unlink(missing_ok=True)
    for name in names:
        os.replace(staging / name, out / name)


@dataclass
class Writers:
    """The open files of one run."""

    households: TableWriter
    individuals: TableWriter
    pkh: list[TableWriter]  # one per PKH_STAGES entry
    fkp: TableWriter

    def all(self) -> list[TableWriter]:
        return [self.households, self.individuals, *self.pkh, self.fkp]

    def tables(self) -> list[str]:
        return [HH, IND, *[PKH] * len(self.pkh), FKP]


@dataclass
class RunState:
    """What carries over from chunk to chunk: issued NIK/KK numbers, the next PKH serial, the
    dirt budget, the facts and the defects found so far."""

    budget: DirtBudget
    nik: UniqueSerials = field(default_factory=UniqueSerials)
    kk: UniqueSerials = field(default_factory=UniqueSerials)
    pkh_serial: int = 1
    facts: Facts = field(default_factory=Facts)
    defects: list[DefectRow] = field(default_factory=list)

    def locate(self, found: list[Defect], writer: TableWriter) -> None:
        """Record defects of the chunk about to be appended to `writer`, with their line."""
        base = writer.rows + writer.first_data_line
        self.defects += [
            DefectRow(d.kind, d.table, writer.path.name, base + d.row, d.column, d.key)
            for d in found
        ]


def open_writers(
    config: GeneratorConfig, files: OutputFiles, folder: Path, rates: dict[str, float]
) -> tuple[Writers, list[DefectRow]]:
    """The run's files, headers written (some in another letter case), and those header defects."""
    header_rng = stream_rng(config.seed, Stream.DIRT, HEADER_CHUNK)
    headers, defects = {}, []
    for table, name in ((HH, files.households), (IND, files.individuals)):
        headers[table], changed = header_variants(
            header_rng, table, rates[f"{table}.header_case_variant"]
        )
        defects += [DefectRow("header_case_variant", table, name, 1, h, "") for h in changed]

    def writer(name: str, table_headers: tuple[str, ...]) -> TableWriter:
        return make_writer(config.file_format, folder / name, table_headers, config.csv)

    writers = Writers(
        households=writer(files.households, headers[HH]),
        individuals=writer(files.individuals, headers[IND]),
        pkh=[writer(name, raw_table(PKH).headers()) for name in files.pkh],
        fkp=writer(files.fkp, raw_table(FKP).headers()),
    )
    return writers, defects


def write_chunk(
    config: GeneratorConfig,
    plan: Plan,
    prefixes: NikPrefixes,
    chunk: Chunk,
    writers: Writers,
    state: RunState,
) -> None:
    """Generate one chunk of households with their members and PKH families, and append it."""
    seed = config.seed
    households = make_households(plan, chunk, config.profile, seed)
    people = make_individuals(
        households, plan, chunk, config.profile, prefixes, state.nik, state.kk, seed
    )
    families = make_pkh_families(
        households,
        people,
        plan,
        chunk,
        prefixes,
        state.nik,
        state.kk,
        state.pkh_serial,
        config.profile.marga_share,
        seed,
    )
    state.pkh_serial += len(families)
    hh_flags, ind_flags = program_flags(households, people, families, chunk, seed)
    dirt_rng = stream_rng(seed, Stream.DIRT, chunk.index)

    recipients = families.recipient_row[families.recipient_row >= 0]
    columns = individual_columns(households, people, ind_flags, plan)
    columns, found, head_defect = individual_dirt(
        dirt_rng, columns, people, households, recipients, state.budget
    )
    state.locate(found, writers.individuals)
    writers.individuals.write(columns)

    columns = household_columns(households, people, hh_flags, plan)
    file_rows = np.searchsorted(np.flatnonzero(~households.is_orphan), head_defect)
    columns, found = household_dirt(dirt_rng, columns, file_rows, state.budget)
    state.locate(found, writers.households)
    writers.households.write(columns)

    for stage, (year, tahap) in enumerate(PKH_STAGES):
        columns = pkh_stage_columns(families, plan, stage, year, tahap, seed, chunk.index)
        columns, found = pkh_dirt(dirt_rng, columns, state.budget)
        state.locate(found, writers.pkh[stage])
        writers.pkh[stage].write(columns)
    state.facts.add_chunk(households, families)


def write_dataset(
    config: GeneratorConfig,
    plan: Plan,
    regions: Regions,
    prefixes: NikPrefixes,
    rates: dict[str, float],
    files: OutputFiles,
    folder: Path,
) -> dict[str, object]:
    """Write every file and the manifest into `folder`; return the manifest."""
    writers, header_defects = open_writers(config, files, folder, rates)
    state = RunState(budget=DirtBudget(rates), defects=header_defects)
    progress = tqdm(
        total=plan.generated,
        unit="hh",
        desc="households",
        disable=not config.progress,
        file=sys.stderr,
    )
    try:
        for chunk in plan.chunks:
            write_chunk(config, plan, prefixes, chunk, writers, state)
            progress.update(chunk.households)
        writers.fkp.write(fkp_columns(plan, config.seed))
    finally:
        progress.close()
        for w in writers.all():
            w.close()
    manifest = manifest_for(config, plan, regions, rates, writers, state)
    write_manifest(folder, manifest, state.defects)
    return manifest


def manifest_for(
    config: GeneratorConfig,
    plan: Plan,
    regions: Regions,
    rates: dict[str, float],
    writers: Writers,
    state: RunState,
) -> dict[str, object]:
    facts = state.facts
    return {
        "generator": "scripts.generate",
        "arguments": {
            "profile": config.profile.name,
            "seed": config.seed,
            "households": config.households,
            "individuals": config.individuals,
            "regions": str(config.regions) if config.regions else None,
            "format": config.file_format,
            "delimiter": config.csv.delimiter,
            "bom": config.csv.bom,
            "crlf": config.csv.crlf,
            "chunk_size": config.chunk_size,
            "dirt_scale": config.dirt_scale,
            "dirt_overrides": dict(sorted(config.dirt_rates.items())),
            "dirt_rates": rates,
        },
        "label": config.label,
        "reference_date": REFERENCE_DATE.isoformat(),
        "files": [
            file_entry(w.path, table, w.rows)
            for w, table in zip(writers.all(), writers.tables(), strict=True)
        ],
        "facts": {
            "households": writers.households.rows,
            "individuals": writers.individuals.rows,
            "households_per_desil": dict(facts.desil),
            "pkh_families": {
                "in_bdt_with_idbdt": facts.pkh_with_idbdt,
                "in_bdt_without_idbdt": facts.pkh_without_idbdt,
                "non_bdt": facts.pkh_non_bdt,
            },
            "pkh_rows": sum(w.rows for w in writers.pkh),
            "orphan_households_dropped": facts.orphan_households,
            "orphan_individuals": facts.orphan_individuals,
            "desa": len(regions),
            "sls": int(plan.sls_households.shape[0]),
            "nik_prefix_match": regions.match_counts,
        },
        "defects": defect_summary(state.defects, rates),
    }
