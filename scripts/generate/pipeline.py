"""One generator run: plan, chunks (households -> members -> PKH -> flags -> text -> dirt ->
files), FKP, manifest; written into a temporary folder beside --out and moved into place at the
end, so that a failed run never leaves half a dataset."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from scripts.contract import raw_table
from scripts.generate.changes import CHANGE_COLUMNS, CHANGE_DESCRIPTIONS, CHANGE_KINDS
from scripts.generate.config import PKH_STAGES, REFERENCE_DATE, GeneratorConfig
from scripts.generate.delivered import change_table, population_at
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
    questionnaire_household_dirt,
    questionnaire_individual_dirt,
    resolve_rates,
)
from scripts.generate.fkp import fkp_columns
from scripts.generate.history import IdentitySource, chunk_history
from scripts.generate.households import Households, make_households
from scripts.generate.ids import UniqueSerials
from scripts.generate.individuals import make_individuals
from scripts.generate.manifest import (
    CHANGES,
    DEFECTS,
    DELIVERIES,
    MANIFEST,
    DefectRow,
    defect_summary,
    file_entry,
    previous_deliveries,
    previous_outputs,
    remove_outputs,
    write_manifest,
)
from scripts.generate.pkh import PkhFamilies, make_pkh_families
from scripts.generate.plan import Chunk, Plan, make_plan
from scripts.generate.population import Malformed, Population
from scripts.generate.profiles import NikPrefixes, Regions, load_regions, nik_prefixes
from scripts.generate.programs import program_flags
from scripts.generate.render import (
    Columns,
    household_columns,
    individual_columns,
    pkh_stage_columns,
)
from scripts.generate.sampling import Stream, stream_rng
from scripts.generate.schedule import MAX_DELIVERIES, Delivery, delivery_schedule, stages_held
from scripts.generate.selection import ChangeBudget, step_rates
from scripts.generate.shadow import ShadowRegistries, shadow_population
from scripts.generate.writers import XLSX_MAX_DATA_ROWS, TableWriter, TooManyRowsError, make_writer
from scripts.restricted_files import owner_only_files, owner_only_folder

HEADER_CHUNK = 1_000_000_000  # stream index of the file-level (header) draws
# Stream index of an earlier delivery's defects (DIRT, this x (delivery + 1) + chunk): apart
# from every single-delivery stream.
DELIVERY_DIRT_CHUNK = 10_000_000
FKP = "fkp_sls_results"


@dataclass(frozen=True)
class OutputFiles:
    households: str
    individuals: str
    pkh: tuple[str, ...]  # one per stage held
    fkp: str
    stages: tuple[int, ...]  # the PKH_STAGES held (indexes)

    @classmethod
    def named(
        cls, label: str, ext: str, stages: tuple[int, ...] = tuple(range(len(PKH_STAGES)))
    ) -> OutputFiles:
        return cls(
            households=f"bdt_rt_{label}.{ext}",
            individuals=f"bdt_art_{label}.{ext}",
            pkh=tuple(
                f"pkh_{year}_tahap{tahap}.{ext}" for year, tahap in (PKH_STAGES[i] for i in stages)
            ),
            fkp=f"fkp_sls_{label}.{ext}",
            stages=stages,
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
    if not 1 <= config.deliveries <= MAX_DELIVERIES:
        raise ValueError(f"--deliveries must be between 1 and {MAX_DELIVERIES}")
    if config.interval_months < 1:
        raise ValueError("--interval-months must be at least 1")
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
    """Write the raw files and the manifest into config.out (one folder per delivery with
    --deliveries above 1); return the manifest of the (last) delivery."""
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
    schedule = delivery_schedule(config.deliveries, config.interval_months)
    single = config.deliveries == 1
    # names, NIKs and addresses (synthetic, but the files stand for real exports): owner-only
    with owner_only_files():
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            outputs = [
                open_delivery(config, rates, d, staging if single else staging / d.folder)
                for d in schedule
            ]
            manifests = write_dataset(config, plan, regions, prefixes, rates, outputs)
            remove_previous_series(out, [] if single else [d.folder for d in schedule])
            if single:
                install(staging, out, outputs[0].names())
            else:
                owner_only_folder(out)
                remove_outputs(out)  # a single-delivery dataset written there before
                for output in outputs:
                    install(output.folder, out / output.delivery.folder, output.names())
                index = deliveries_index(config, outputs)
                text = json.dumps(index, indent=2, ensure_ascii=False) + "\n"
                (out / DELIVERIES).write_text(text, encoding="utf-8")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifests[-1]


def remove_previous_series(out: Path, kept: list[str]) -> None:
    """Remove the deliveries an earlier run wrote into `out` (their outputs, then the folder
    when nothing else is left in it) but those of `kept`, which are replaced; and its index."""
    for name in previous_deliveries(out):
        folder = out / name
        if name in kept or not folder.is_dir():
            continue
        remove_outputs(folder)
        if not any(folder.iterdir()):
            folder.rmdir()
    (out / DELIVERIES).unlink(missing_ok=True)


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
    """The open files of one delivery."""

    households: TableWriter
    individuals: TableWriter
    pkh: dict[int, TableWriter]  # by PKH_STAGES index, the stages held
    fkp: TableWriter

    def all(self) -> list[TableWriter]:
        return [self.households, self.individuals, *self.pkh.values(), self.fkp]

    def tables(self) -> list[str]:
        return [HH, IND, *[PKH] * len(self.pkh), FKP]


@dataclass
class RunState:
    """What carries over from chunk to chunk: issued NIK/KK numbers, the next PKH serial; with
    several deliveries, the shadow population's numbers, new IDBDTs and the change budget."""

    nik: UniqueSerials = field(default_factory=UniqueSerials)
    kk: UniqueSerials = field(default_factory=UniqueSerials)
    pkh_serial: int = 1
    shadow: ShadowRegistries | None = None
    changes: ChangeBudget | None = None


@dataclass
class DeliveryOutput:
    """One delivery's folder, files, dirt budget, facts, defects and changes so far."""

    delivery: Delivery
    folder: Path
    files: OutputFiles
    writers: Writers
    budget: DirtBudget
    defects: list[DefectRow]
    facts: Facts = field(default_factory=Facts)
    change_counts: Counter = field(default_factory=Counter)
    changes_file: TextIO | None = None

    def locate(self, found: list[Defect], writer: TableWriter) -> None:
        """Record defects of the chunk about to be appended to `writer`, with their line."""
        base = writer.rows + writer.first_data_line
        self.defects += [
            DefectRow(d.kind, d.table, writer.path.name, base + d.row, d.column, d.key)
            for d in found
        ]

    def names(self) -> list[str]:
        extra = [CHANGES] if self.changes_file is not None else []
        return [*self.files.all(), DEFECTS, MANIFEST, *extra]

    def add_changes(self, frame: pd.DataFrame) -> None:
        if self.changes_file is None or frame.empty:
            return
        self.change_counts.update(frame["kind"].tolist())
        frame.to_csv(
            self.changes_file,
            header=False,
            index=False,
            columns=list(CHANGE_COLUMNS),
            lineterminator="\n",
        )


def open_delivery(
    config: GeneratorConfig, rates: dict[str, float], delivery: Delivery, folder: Path
) -> DeliveryOutput:
    """A delivery's files, headers written (some in another letter case), and those header
    defects; with several deliveries, its manifest_changes.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    files = OutputFiles.named(config.label, config.file_format, stages_held(delivery))
    header_chunk = HEADER_CHUNK if delivery.last else HEADER_CHUNK + 1 + delivery.index
    header_rng = stream_rng(config.seed, Stream.DIRT, header_chunk)
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
        pkh={
            stage: writer(name, raw_table(PKH).headers())
            for stage, name in zip(files.stages, files.pkh, strict=True)
        },
        fkp=writer(files.fkp, raw_table(FKP).headers()),
    )
    output = DeliveryOutput(delivery, folder, files, writers, DirtBudget(rates), defects)
    if config.deliveries > 1:
        output.changes_file = (folder / CHANGES).open("w", newline="", encoding="utf-8")
        output.changes_file.write(",".join(CHANGE_COLUMNS) + "\n")
    return output


def malformed_niks(columns: Columns, malformed: Malformed) -> tuple[Columns, list[Defect]]:
    """The individual columns with the NIKs that a later delivery corrects written malformed,
    and those defects."""
    if malformed.person.shape[0] == 0:
        return columns, []
    rows = malformed.person
    order = np.argsort(rows)
    mask = np.zeros(len(columns["nik"]), dtype=bool)
    mask[rows] = True
    values = pa.array([malformed.text[i] for i in order.tolist()], type=pa.string())
    patched = dict(columns)
    patched["nik"] = pc.replace_with_mask(columns["nik"], pa.array(mask), values)
    header = next(c.header for c in raw_table(IND).columns if c.name == "nik")
    keys = columns["idartbdt"].take(pa.array(rows, type=pa.int64())).to_pylist()
    defects = [
        Defect(kind, IND, row, header, key)
        for kind, row, key in zip(malformed.kind, rows.tolist(), keys, strict=True)
    ]
    return patched, defects


def write_registry(
    rng: np.random.Generator,
    questionnaire_rng: np.random.Generator,
    population: Population,
    recipients: np.ndarray,
    malformed: Malformed,
    plan: Plan,
    output: DeliveryOutput,
) -> np.ndarray:
    """Append one chunk's household and individual rows, defects injected, to a delivery (Umur:
    the age on the delivery's date); return the individual rows that carry a defect."""
    households, people = population.households, population.people
    as_of = output.delivery.date
    columns = individual_columns(households, people, population.person_flags, plan, as_of)
    columns, planted = malformed_niks(columns, malformed)
    reserved = np.concatenate([malformed.person, malformed.corrected])
    columns, found, head_defect = individual_dirt(
        rng, columns, people, households, recipients, output.budget, reserved, as_of
    )
    found = sorted(found + planted, key=lambda d: (d.row, d.kind, d.column))
    dirty = np.unique(np.asarray([d.row for d in found if d.row >= 0], dtype=np.int64))
    columns, later = questionnaire_individual_dirt(
        questionnaire_rng, columns, np.union1d(dirty, reserved), output.budget
    )
    found = sorted(found + later, key=lambda d: (d.row, d.kind, d.column))
    output.locate(found, output.writers.individuals)
    output.writers.individuals.write(columns)

    columns = household_columns(households, people, population.household_flags, plan)
    file_rows = np.searchsorted(np.flatnonzero(~households.is_orphan), head_defect)
    columns, found = household_dirt(rng, columns, file_rows, output.budget)
    household_dirty = np.union1d(file_rows, np.asarray([d.row for d in found], dtype=np.int64))
    columns, later = questionnaire_household_dirt(
        questionnaire_rng, columns, household_dirty, output.budget
    )
    found = sorted(found + later, key=lambda d: (d.row, d.kind, d.column))
    output.locate(found, output.writers.households)
    output.writers.households.write(columns)
    return dirty


NO_MALFORMED = Malformed(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [], [])


def write_chunk(
    config: GeneratorConfig,
    plan: Plan,
    prefixes: NikPrefixes,
    chunk: Chunk,
    outputs: list[DeliveryOutput],
    state: RunState,
    progress: tqdm,
) -> None:
    """Generate one chunk of households with their members and PKH families, and append it to
    the last delivery; then, with several deliveries, derive and append the earlier ones."""
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
    final = Population(households, people, hh_flags, ind_flags)
    dirt_rng = stream_rng(seed, Stream.DIRT, chunk.index)
    recipients = families.recipient_row[families.recipient_row >= 0]
    last = outputs[-1]
    final_dirty = write_registry(
        dirt_rng,
        stream_rng(seed, Stream.QUESTIONNAIRE_DIRT, chunk.index),
        final,
        recipients,
        NO_MALFORMED,
        plan,
        last,
    )
    for stage, (year, tahap) in enumerate(PKH_STAGES):
        columns = pkh_stage_columns(families, plan, stage, year, tahap, seed, chunk.index)
        columns, found = pkh_dirt(dirt_rng, columns, last.budget)
        for output in outputs:
            if stage in output.writers.pkh:
                output.locate(found, output.writers.pkh[stage])
                output.writers.pkh[stage].write(columns)
    last.facts.add_chunk(households, families)
    progress.update(chunk.households)
    if len(outputs) == 1:
        return
    shadow, budget = state.shadow, state.changes
    assert shadow is not None and budget is not None
    history = chunk_history(
        stream_rng(seed, Stream.HISTORY, chunk.index),
        final,
        final_dirty,
        families,
        lambda positions: shadow_population(config, plan, prefixes, chunk, shadow, positions),
        shadow.ids,
        len(outputs),
        config.profile.changes,
        budget,
    )
    changes = change_table(history)
    for d, output in enumerate(outputs):
        output.add_changes(changes[changes["step"] == d])
        if output is last:
            continue
        population, delivery_recipients, malformed = population_at(history, d)
        chunk_number = DELIVERY_DIRT_CHUNK * (d + 1) + chunk.index
        write_registry(
            stream_rng(seed, Stream.DIRT, chunk_number),
            stream_rng(seed, Stream.QUESTIONNAIRE_DIRT, chunk_number),
            population,
            delivery_recipients,
            malformed,
            plan,
            output,
        )
        output.facts.add_chunk(population.households, families)
        progress.update(chunk.households)


def write_dataset(
    config: GeneratorConfig,
    plan: Plan,
    regions: Regions,
    prefixes: NikPrefixes,
    rates: dict[str, float],
    outputs: list[DeliveryOutput],
) -> list[dict[str, object]]:
    """Write every delivery's files and manifest into its folder; return the manifests."""
    state = RunState()
    if len(outputs) > 1:
        state.shadow = ShadowRegistries(IdentitySource(plan.desa_households, plan.generated))
        state.changes = ChangeBudget(
            config.profile.changes, config.interval_months, len(outputs) - 1
        )
    progress = tqdm(
        total=plan.generated * len(outputs),
        unit="hh",
        desc="households" if len(outputs) == 1 else f"households x {len(outputs)} deliveries",
        disable=not config.progress,
        file=sys.stderr,
    )
    try:
        for chunk in plan.chunks:
            write_chunk(config, plan, prefixes, chunk, outputs, state, progress)
        fkp = fkp_columns(plan, config.seed)
        for output in outputs:
            output.writers.fkp.write(fkp)
    finally:
        progress.close()
        for output in outputs:
            for w in output.writers.all():
                w.close()
            if output.changes_file is not None:
                output.changes_file.close()
    manifests = []
    for output in outputs:
        manifest = manifest_for(config, plan, regions, rates, output)
        write_manifest(output.folder, manifest, output.defects)
        manifests.append(manifest)
    return manifests


def manifest_for(
    config: GeneratorConfig,
    plan: Plan,
    regions: Regions,
    rates: dict[str, float],
    output: DeliveryOutput,
) -> dict[str, object]:
    facts, writers = output.facts, output.writers
    arguments: dict[str, object] = {
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
    }
    manifest: dict[str, object] = {
        "generator": "scripts.generate",
        "arguments": arguments,
        "label": config.label,
        # The date of the data (Umur is the age on it): the delivery's (PBDT 2015's alone).
        "reference_date": output.delivery.date.isoformat(),
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
            "pkh_rows": sum(w.rows for w in writers.pkh.values()),
            "orphan_households_dropped": facts.orphan_households,
            "orphan_individuals": facts.orphan_individuals,
            "desa": len(regions),
            "sls": int(plan.sls_households.shape[0]),
            "nik_prefix_match": regions.match_counts,
        },
        "defects": defect_summary(output.defects, rates),
    }
    if config.deliveries > 1:
        arguments["deliveries"] = config.deliveries
        arguments["interval_months"] = config.interval_months
        manifest["delivery"] = delivery_entry(config, output)
    return manifest


def delivery_entry(config: GeneratorConfig, output: DeliveryOutput) -> dict[str, object]:
    """The delivery's place in the series and its exact change counts (since the previous)."""
    delivery = output.delivery
    previous = delivery_schedule(config.deliveries, config.interval_months)[delivery.index - 1]
    return {
        "index": delivery.index,
        "of": config.deliveries,
        "date": delivery.date.isoformat(),
        "folder": delivery.folder,
        "previous": previous.folder if delivery.index > 0 else None,
        "interval_months": config.interval_months,
        "pkh_stages": [f"{y}-{t}" for y, t in (PKH_STAGES[i] for i in output.files.stages)],
        "changes_file": CHANGES,
        "changes": [
            {
                "kind": kind,
                "count": output.change_counts.get(kind, 0),
                "rate_per_step": step_rate,
                "description": CHANGE_DESCRIPTIONS[kind],
            }
            for kind, step_rate in (
                (kind, step_rates(config.profile.changes, config.interval_months).get(kind))
                for kind in CHANGE_KINDS
            )
        ],
    }


def deliveries_index(config: GeneratorConfig, outputs: list[DeliveryOutput]) -> dict[str, object]:
    """OUT/deliveries.json: the folders in order, with their sizes and change counts."""
    return {
        "generator": "scripts.generate",
        "reference_date": REFERENCE_DATE.isoformat(),
        "interval_months": config.interval_months,
        "deliveries": [
            {
                "folder": output.delivery.folder,
                "date": output.delivery.date.isoformat(),
                "households": output.writers.households.rows,
                "individuals": output.writers.individuals.rows,
                "changes": {k: output.change_counts.get(k, 0) for k in CHANGE_KINDS},
            }
            for output in outputs
        ],
    }
