"""The rows of an extract: the identity store (restricted database) joined to the marts (the BI
database attached read-only) by the pseudonymous keys, filtered by the request's criteria and
the profile's conditions, with the profile's columns only, in the profile's order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from .profiles import Profile

BI_CATALOG = "bi"
# Everything a profile may name, per subject: one select each, the identity store joined to
# the marts. A profile releases a subset of these columns (validated against this catalogue).
SUBJECT_SELECTIONS = {
    "household": f"""
        select
            households.household_key,
            identities.household_id,
            identities.head_name,
            identities.address,
            households.village_code,
            households.sls_name,
            households.member_count,
            households.desil,
            households.priority_group,
            households.priority_rank,
            households.receives_pkh,
            freshness.last_changed_date,
            freshness.months_since_change,
            coalesce(freshness.is_due_for_reverification, false) as is_due_for_reverification
        from {BI_CATALOG}.marts.dim_household as households
        inner join identity.identity_households as identities
            on households.household_key = identities.household_key
        left join {BI_CATALOG}.marts.fct_household_freshness as freshness
            on households.household_key = freshness.household_key
        where households.household_source = 'BDT'
    """,
    "member": f"""
        select
            members.individual_key,
            members.person_key,
            identities.individual_id,
            identities.household_id,
            identities.full_name,
            identities.nik,
            identities.family_card_number,
            identities.birth_place,
            identities.birth_date,
            household_identities.address,
            households.village_code
        from {BI_CATALOG}.marts.dim_individual as members
        inner join identity.identity_individuals as identities
            on members.individual_key = identities.individual_key
        inner join {BI_CATALOG}.marts.dim_household as households
            on members.household_key = households.household_key
        inner join identity.identity_households as household_identities
            on members.household_key = household_identities.household_key
    """,
}
SUBJECT_COLUMNS = {
    "household": (
        "household_id", "head_name", "address", "village_code", "sls_name", "member_count",
        "desil", "priority_group", "priority_rank", "last_changed_date", "months_since_change",
    ),
    "member": (
        "individual_id", "household_id", "full_name", "nik", "family_card_number",
        "birth_place", "birth_date", "address", "village_code",
    ),
}  # fmt: skip
# The fixed condition a profile's purpose implies (profiles.yml `conditions`).
CONDITIONS = {
    "not_receiving_pkh": "not selection.receives_pkh",
    "without_valid_nik": "selection.person_key is null",
    "due_for_reverification": "selection.is_due_for_reverification",
}


@dataclass(frozen=True)
class Criteria:
    region: str
    desil_min: int | None = None
    desil_max: int | None = None

    def described(self) -> dict[str, Any]:
        """The criteria as logged and printed on the cover sheet."""
        described: dict[str, Any] = {"region": self.region}
        if self.desil_min is not None:
            described["desil"] = [self.desil_min, self.desil_max]
        return described


@dataclass(frozen=True)
class Extract:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def unknown_columns(profile: Profile) -> list[str]:
    """The columns (released or ordered by) of a profile that its subject does not offer."""
    offered = SUBJECT_COLUMNS.get(profile.subject, ())
    return [column for column in (*profile.columns, *profile.order) if column not in offered]


def restricted_connection(restricted: Path, bi: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the restricted database with the BI database attached
    read-only as `bi`."""
    connection = duckdb.connect(str(restricted), read_only=True)
    connection.execute(f"attach '{bi}' as {BI_CATALOG} (read_only)")
    return connection


def extract_query(profile: Profile, criteria: Criteria) -> tuple[str, list[Any]]:
    """The SQL of an extract and its parameters. Column names come from the profile, checked
    against SUBJECT_COLUMNS (unknown_columns); values are bound as parameters."""
    if unknown_columns(profile):
        raise ValueError(f"profile {profile.name} names unknown columns {unknown_columns(profile)}")
    filters = ["selection.village_code like ? || '%'"]
    parameters: list[Any] = [criteria.region]
    if criteria.desil_min is not None:
        filters.append("selection.desil between ? and ?")
        parameters += [criteria.desil_min, criteria.desil_max]
    filters += [CONDITIONS[condition] for condition in profile.conditions]
    columns = ", ".join(f"selection.{column}" for column in profile.columns)
    order = ", ".join(f"selection.{column} asc nulls last" for column in profile.order)
    sql = (
        f"with selection as ({SUBJECT_SELECTIONS[profile.subject]})\n"
        f"select {columns}\nfrom selection\nwhere {' and '.join(filters)}\norder by {order}"
    )
    return sql, parameters


def extract_rows(
    connection: duckdb.DuckDBPyConnection, profile: Profile, criteria: Criteria
) -> Extract:
    """The rows of an extract, in the profile's order, with the profile's columns only."""
    sql, parameters = extract_query(profile, criteria)
    return Extract(columns=profile.columns, rows=connection.execute(sql, parameters).fetchall())
