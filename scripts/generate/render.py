"""Numbers to text columns, in the contract's order (every value a string, "" when empty)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.contract import raw_table
from scripts.generate.config import REFERENCE_DATE
from scripts.generate.households import BLANK, Households
from scripts.generate.individuals import Individuals, ages_at, families_per_household, head_rows
from scripts.generate.pkh import (
    ABSENT,
    SALUR,
    STATUS_LABELS,
    PkhFamilies,
    payment_dates,
    stage_amounts,
)
from scripts.generate.plan import Plan
from scripts.generate.questionnaire import family_planning_at, member_business
from scripts.generate.sampling import Stream, stream_rng

Columns = dict[str, pa.Array]


def text(values: np.ndarray | pa.Array, width: int = 0) -> pa.Array:
    """Integers as text (zero-padded to `width`); BLANK (-1) as ""; Arrow strings unchanged."""
    if isinstance(values, pa.Array):
        return values
    array = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    if width:
        array = pc.utf8_lpad(array, width=width, padding="0")
    blank = values == BLANK
    if blank.any():
        array = pc.if_else(pa.array(blank), "", array)
    return array


def date_text(dates: np.ndarray) -> pa.Array:
    """YYYY-MM-DD."""
    return pc.strftime(pa.array(dates.astype("datetime64[D]")), format="%Y-%m-%d")


def region_columns(desa_code: np.ndarray) -> dict[str, pa.Array]:
    return {
        "kdprop": text(desa_code // 100_000_000, 2),
        "kdkab": text(desa_code // 1_000_000 % 100, 2),
        "kdkec": text(desa_code // 1_000 % 1_000, 3),
        "kddesa": text(desa_code % 1_000, 3),
    }


def in_contract_order(table: str, values: Mapping[str, np.ndarray | pa.Array]) -> Columns:
    names = raw_table(table).column_names
    missing = [c for c in names if c not in values]
    if missing:
        raise KeyError(f"{table}: no values for {missing}")
    return {c: text(values[c]) for c in names}


def household_columns(
    households: Households, people: Individuals, flags: Mapping[str, np.ndarray], plan: Plan
) -> Columns:
    """The household file's rows (orphans dropped)."""
    keep = np.flatnonzero(~households.is_orphan)
    take = pa.array(keep, type=pa.int64())
    head_name = people.name.take(pa.array(head_rows(people), type=pa.int64()))
    families = families_per_household(people, len(households))
    desa_code = plan.regions.desa_code[households.desa]
    values: dict[str, np.ndarray | pa.Array] = {
        "idbdt": text(households.idbdt[keep]),
        "ruta6": text(households.serial[keep], 6),
        "nopesertapbdt": text(
            (desa_code[keep] // 1_000_000) * 10_000_000_000
            + 1_500_000_000
            + households.positions[keep]
            + 1
        ),
        **region_columns(desa_code[keep]),
        "nama_sls": pa.array(plan.sls_name[households.sls[keep]], type=pa.string()),
        "alamat": households.address.take(take),
        "nama_krt": head_name.take(take),
        "jumlah_art": text(households.size[keep]),
        "jumlah_keluarga": text(families[keep]),
        "percentile": text(np.where(households.percentile > 0, households.percentile, BLANK)[keep]),
        "sta_art_usaha": text(
            member_business(people.hh, people.columns["lapangan_usahaart"], len(households))[keep]
        ),
    }
    for name, column in (households.columns | dict(flags)).items():
        values[name] = text(column[keep])
    return in_contract_order("bdt_households", values)


def individual_columns(
    households: Households,
    people: Individuals,
    flags: Mapping[str, np.ndarray],
    plan: Plan,
    as_of: dt.date = REFERENCE_DATE,
) -> Columns:
    """The individual file's rows; Umur is the age on `as_of`, the delivery's date."""
    idbdt = households.idbdt[people.hh]
    desa_code = plan.regions.desa_code[households.desa[people.hh]]
    age = ages_at(people.birth, as_of)
    values: dict[str, np.ndarray | pa.Array] = {
        "idartbdt": text(idbdt * 100 + people.member_no),
        "idbdt": text(idbdt),
        **region_columns(desa_code),
        "nama": people.name,
        "nik": text(people.nik),
        "nokk": text(people.nokk),
        "jnskel": text(people.sex),
        "tmplahir": people.birthplace,
        "tgllahir": date_text(people.birth),
        "umur": text(age),
        "hub_krt": text(people.hub),
        "nuk": text(people.nuk),
    }
    member = people.columns | dict(flags)
    for name, column in (member | family_planning_at(member, age)).items():
        values[name] = text(column)
    return in_contract_order("bdt_individuals", values)


def pkh_stage_columns(
    families: PkhFamilies, plan: Plan, stage: int, year: int, tahap: int, seed: int, chunk: int
) -> Columns:
    """Rows of one stage's list: the families present at that stage."""
    status = families.status[:, stage]
    rows = np.flatnonzero(status != ABSENT)
    take = pa.array(rows, type=pa.int64())
    rng = stream_rng(seed, Stream.PKH, 10_000 * (stage + 1) + chunk)
    paid = status[rows] == SALUR
    dates = date_text(payment_dates(rng, year, tahap, rows.shape[0]))
    values: dict[str, np.ndarray | pa.Array] = {
        "idpkh": text(families.idpkh[rows]),
        "idbdt": text(np.where(families.idbdt[rows] > 0, families.idbdt[rows], BLANK)),
        "nik_penerima": text(families.recipient_nik[rows]),
        "nama_penerima": families.name.take(take),
        "nokk": text(families.nokk[rows]),
        **region_columns(plan.regions.desa_code[families.desa[rows]]),
        "alamat": families.address.take(take),
        "tahun": text(np.full(rows.shape[0], year)),
        "tahap": text(np.full(rows.shape[0], tahap)),
        "nominal": text(stage_amounts(families, year, tahap)[rows]),
        "status": pa.array(np.asarray(STATUS_LABELS, dtype=object)[status[rows]], type=pa.string()),
        "tgl_salur": pc.if_else(pa.array(paid), dates, ""),
    }
    return in_contract_order("pkh_payments", values)
