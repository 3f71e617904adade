"""Reads the BI-facing warehouse (bdt.duckdb: marts, quality, reference), never the restricted
zone. Every query returns aggregates or per-household rows without any key or name."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .deliveries import Delivery, History, current_delivery, read_history
from .labels import LEVELS, REGION_CODE_LENGTHS, Level
from .model import HOUSEHOLDS, KNOWN, UNKNOWN, Label
from .questions import MEMBER_QUESTIONS, MemberQuestion

# Schemas of the restricted zone: a database holding any of them is not the BI database.
RESTRICTED_SCHEMAS = {"raw", "staging", "intermediate", "identity"}
LIVESTOCK = ("cattle", "buffalo", "horse", "pig", "goat")
ASSET_CODES = ("refrigerator", "motorcycle", "gas_cylinder", "television", "mobile_phone", "land")
# The member counts of marts.dim_household behind the tables of the questionnaire's rest (issue
# #17), read as they are.
MEMBER_COUNTS = (
    "own_business_member_count",
    "own_business_agriculture_member_count",
    "own_business_industry_member_count",
    "own_business_services_member_count",
    "family_planning_women_15_49_count",
    "family_planning_users_15_49_count",
    "family_planning_unknown_15_49_count",
    "children_0_17_count",
    "children_0_17_with_birth_certificate_count",
    "children_0_17_documents_unknown_count",
)
# The household indicators of marts.dim_household (defined once in dbt: int_households__indicators,
# var household_indicators), read as they are: true, false or null (unknown).
INDICATOR_FLAGS = (
    "has_earth_floor",
    "has_bamboo_or_wood_walls",
    "lacks_pln_electricity",
    "has_unimproved_water",
    "lacks_own_toilet",
    "cooks_with_firewood",
    "is_crowded",
    "has_disabled_or_ill_member",
    "is_leakage_target_desil",
)


class WarehouseError(Exception):
    """The warehouse cannot be read as asked (missing, not the BI database, unknown region)."""


@dataclass(frozen=True)
class Selection:
    """What to publish: the region level of the rows and the BPS code prefixes kept."""

    level: Level
    prefixes: tuple[str, ...]

    @property
    def description(self) -> Label:
        regions = ", ".join(self.prefixes) if self.prefixes else None
        return Label(
            f"Wilayah: {regions or 'seluruh gudang data'}; baris: {self.level.label.id}",
            f"Regions: {regions or 'the whole warehouse'}; rows: {self.level.label.en}",
        )


def connected(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the BI database; refuses the restricted databases."""
    if not path.is_file():
        raise WarehouseError(f"{path}: no such warehouse (run `make build` first)")
    connection = duckdb.connect(
        str(path),
        read_only=True,
        config={"memory_limit": os.environ.get("BDT_PUBLISH_MEMORY_LIMIT", "6GB")},
    )
    schemas = {
        row[0]
        for row in connection.execute(
            "select distinct schema_name from duckdb_tables() where not internal"
        ).fetchall()
    }
    if schemas & RESTRICTED_SCHEMAS or "marts" not in schemas:
        connection.close()
        raise WarehouseError(
            f"{path}: not the BI database (schemas {sorted(schemas)}); give warehouse/bdt.duckdb"
        )
    return connection


def checked_selection(
    connection: duckdb.DuckDBPyConnection, level_name: str, prefixes: Sequence[str]
) -> Selection:
    """The selection, after checking the codes: digits of a BPS level, known, not finer than
    the rows' level."""
    level = LEVELS[level_name]
    for code in prefixes:
        if not code.isdigit() or len(code) not in REGION_CODE_LENGTHS:
            raise WarehouseError(
                f"--region {code}: a BPS code has 2 (province), 4 (kabupaten/kota), "
                "7 (kecamatan) or 10 (desa) digits"
            )
        if len(code) > level.code_length:
            raise WarehouseError(
                f"--region {code} is a {REGION_CODE_LENGTHS[len(code)]}: rows by {level.name} "
                f"would mix it with the rest of its {level.name}; choose --level "
                f"{REGION_CODE_LENGTHS[len(code)]} or finer"
            )
        (known,) = connection.execute(
            "select count(*) from marts.dim_region where starts_with(village_code, ?)", [code]
        ).fetchone()
        if not known:
            raise WarehouseError(f"--region {code}: no such region in marts.dim_region")
    return Selection(level, tuple(dict.fromkeys(prefixes)))


# `--level auto`: kecamatan rows unless the selection has more kecamatan than a readable table
# holds, then kabupaten/kota rows.
AUTO_LEVEL_MAX_ROWS = 600


def automatic_level(connection: duckdb.DuckDBPyConnection, prefixes: Sequence[str]) -> str:
    """The level of `--level auto`: kecamatan when the selected households lie in at most
    AUTO_LEVEL_MAX_ROWS kecamatan, else kabupaten."""
    selection = Selection(LEVELS["kecamatan"], tuple(prefixes))
    where, parameters = _prefix_filter(selection, "h.village_code")
    (districts,) = connection.execute(
        "select count(distinct r.district_code) from marts.dim_household as h"
        " inner join marts.dim_region as r on h.village_code = r.village_code"
        f" where {where}",
        parameters,
    ).fetchone()
    return "kecamatan" if districts <= AUTO_LEVEL_MAX_ROWS else "kabupaten"


def _prefix_filter(selection: Selection, column: str) -> tuple[str, list[str]]:
    if not selection.prefixes:
        return "true", []
    clause = " or ".join(f"starts_with({column}, ?)" for _ in selection.prefixes)
    return f"({clause})", list(selection.prefixes)


def desil_bands(connection: duckdb.DuckDBPyConnection) -> dict[int, Label]:
    """The target desil (those up to the highest desil of dim_household, i.e. the warehouse's
    target_desil_max) with their labels, from reference.desil_bands."""
    rows = connection.execute(
        "select desil, label_id, label_en from reference.desil_bands"
        " where desil <= (select coalesce(max(desil), 4) from marts.dim_household)"
        " order by desil"
    ).fetchall()
    return {int(desil): Label(label_id, label_en) for desil, label_id, label_en in rows}


def household_rows(connection: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """One row per household of the selection (BDT and PKH non-BDT) with its region at the
    rows' level, desil, composition, head, the household indicators of dim_household,
    programs and the assets of table 6."""
    level = selection.level
    where, parameters = _prefix_filter(selection, "h.village_code")
    owned_livestock = " or ".join(f"owns_{code}" for code in LIVESTOCK)
    known_livestock = " and ".join(f"owns_{code} is not null" for code in LIVESTOCK)
    query = f"""
        with assets as (
            select
                household_key,
                {", ".join(f"owns_{code}" for code in ASSET_CODES)},
                -- any animal owned: yes; every kind known and none owned: no; else unknown
                case
                    when {owned_livestock} then true
                    when {known_livestock} then false
                end as owns_livestock
            from marts.fct_household_assets_wide
        )
        select
            h.village_code,
            r.{level.code_column} as region_code,
            r.{level.name_column} as region_name,
            h.household_source,
            cast(h.desil as tinyint) as desil,
            cast(h.member_count as integer) as member_count,
            cast(h.reported_member_count as integer) as reported_member_count,
            cast(h.family_count as integer) as family_count,
            cast(h.head_count as tinyint) as head_count,
            cast(h.head_sex_code as tinyint) as head_sex_code,
            cast(h.head_age as smallint) as head_age,
            cast(h.head_implied_diploma_code as tinyint) as head_implied_diploma_code,
            cast(h.head_worked_code as tinyint) as head_worked_code,
            h.head_sector_group,
            cast(h.dependent_count as integer) as dependent_count,
            cast(h.working_age_count as integer) as working_age_count,
            {", ".join(f"cast(h.{count} as integer) as {count}" for count in MEMBER_COUNTS)},
            {", ".join(f"h.{flag}" for flag in INDICATOR_FLAGS)},
            cast(h.priority_group as tinyint) as priority_group,
            h.receives_pkh,
            h.receives_kks,
            h.receives_kis_pbi,
            h.receives_kip,
            h.receives_rastra_bpnt,
            {", ".join(f"a.owns_{code}" for code in ASSET_CODES)},
            a.owns_livestock
        from marts.dim_household as h
        inner join marts.dim_region as r on h.village_code = r.village_code
        left join assets as a on h.household_key = a.household_key
        where {where}
        order by h.village_code
    """
    frame = compact_frame(connection.sql(query, params=parameters).to_arrow_table())
    frame["desil"] = frame["desil"].astype("Int64")
    return frame


# Nullable pandas types for Arrow integers and booleans, so that a null does not turn a column
# into floats or Python objects.
NULLABLE_TYPES = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def compact_frame(table: pa.Table) -> pd.DataFrame:
    """A frame of one row per household that stays small at national scale (26.6 million
    rows): text as categories, integers in the width the query gave them and booleans,
    nullable."""
    encoded = pa.table(
        {
            name: column.dictionary_encode()
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
            else column
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )
    return encoded.to_pandas(types_mapper=NULLABLE_TYPES.get)


def _member_question_sums(question: MemberQuestion) -> str:
    """The per-household sums of a person question (yes, answered, unknown)."""
    low, high = question.ages
    group = f"age_years between {low} and {high}"
    if question.sex_code is not None:
        group += f" and sex_code = {question.sex_code}"
    answer = question.answer_column
    yes = ", ".join(str(code) for code in question.yes_codes)
    name = question.name
    return (
        f"count(*) filter (where {group} and {answer} in ({yes})) as {name},\n"
        f"count(*) filter (where {group} and {answer} is not null) as {name}{KNOWN},\n"
        f"count(*) filter (where {group} and {answer} is null) as {name}{UNKNOWN}"
    )


def member_sums(connection: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The person questions (questions.MEMBER_QUESTIONS) summed by region and desil: for each,
    the members answering yes, answering, with an unknown answer, and the households with at
    least one member answering (the households behind the base). Members are summed per
    household first; no row per person leaves DuckDB."""
    level = selection.level
    where, parameters = _prefix_filter(selection, "h.village_code")
    per_household = ",\n".join(_member_question_sums(q) for q in MEMBER_QUESTIONS)
    totals = ",\n".join(
        f"sum(p.{q.name}) as {q.name}, sum(p.{q.name}{KNOWN}) as {q.name}{KNOWN}, "
        f"sum(p.{q.name}{UNKNOWN}) as {q.name}{UNKNOWN}, "
        f"count(*) filter (where p.{q.name}{KNOWN} > 0) as {q.name}{HOUSEHOLDS}"
        for q in MEMBER_QUESTIONS
    )
    query = f"""
        with per_household as (
            select
                household_key,
                {per_household}
            from marts.dim_individual
            group by household_key
        )
        select
            r.{level.code_column} as region_code,
            h.desil,
            {totals}
        from per_household as p
        inner join marts.dim_household as h on p.household_key = h.household_key
        inner join marts.dim_region as r on h.village_code = r.village_code
        where {where}
        group by all
        order by all
    """
    frame = connection.execute(query, parameters).fetchdf()
    frame["desil"] = frame["desil"].astype("Int64")
    return frame


def poverty_figures(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """reference.poverty_figures (seed): people below the BPS poverty line where known."""
    return connection.execute(
        "select region_level, bps_code, region_name, year, month, poor_people,"
        " poverty_rate_pct, source from reference.poverty_figures order by bps_code, year"
    ).fetchdf()


def province_coverage(connection: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(provinces with households, provinces of dim_region): the warehouse is national when
    they are equal."""
    (with_households,) = connection.execute(
        "select count(distinct substr(village_code, 1, 2)) from marts.dim_household"
    ).fetchone()
    (provinces,) = connection.execute(
        "select count(distinct province_code) from marts.dim_region"
    ).fetchone()
    return int(with_households), int(provinces)


def fkp_sls_rows(connection: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The FKP Berita Acara rows (one per SLS) of every desa of the selection, with the names
    and codes of the desa's region hierarchy."""
    where, parameters = _prefix_filter(selection, "f.village_code")
    query = f"""
        select
            f.village_code,
            r.village_name,
            r.district_code,
            r.district_name,
            r.regency_code,
            r.regency_name,
            r.province_code,
            r.province_name,
            f.sls_number,
            f.sls_name,
            f.prelist_households,
            f.added_households,
            f.total_households
        from marts.fct_fkp_sls_results as f
        inner join marts.dim_region as r on f.village_code = r.village_code
        where {where}
        order by f.village_code, f.sls_number nulls last, f.sls_name
    """
    return connection.execute(query, parameters).fetchdf()


def reconciliation_summary(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """quality.dq_reconciliation of the delivery the marts show (the table holds one row per raw
    table and delivery built): raw rows = rows in the marts + rows quarantined."""
    return connection.execute(
        "select raw_table, raw_rows, mart_rows, quarantined_rows, is_reconciled"
        " from quality.dq_reconciliation"
        " where delivery = (select delivery from marts.dim_delivery where is_current)"
        " order by raw_table"
    ).fetchdf()


@dataclass(frozen=True)
class Extract:
    """Everything the tables are computed from, read once."""

    selection: Selection
    bands: dict[int, Label]
    households: pd.DataFrame
    members: pd.DataFrame
    poverty: pd.DataFrame
    covers_the_nation: bool
    delivery: Delivery  # the delivery the marts show, and the date of its data
    history: History | None = None  # None: the warehouse has no history marts

    @property
    def regions(self) -> pd.DataFrame:
        """The regions of the rows: those of the level with at least one household."""
        return (
            self.households[["region_code", "region_name"]]
            .drop_duplicates("region_code")
            .sort_values("region_code", ignore_index=True)
        )


def extract(connection: duckdb.DuckDBPyConnection, selection: Selection) -> Extract:
    """Read what the tables need for the selection."""
    with_households, provinces = province_coverage(connection)
    return Extract(
        selection=selection,
        bands=desil_bands(connection),
        households=household_rows(connection, selection),
        members=member_sums(connection, selection),
        poverty=poverty_figures(connection),
        covers_the_nation=not selection.prefixes and with_households >= provinces > 0,
        delivery=current_delivery(connection),
        history=read_history(
            connection,
            selection.level.code_column,
            selection.level.name_column,
            lambda column: _prefix_filter(selection, column),
        ),
    )
