"""The rows of an extract: the identity store (restricted database) joined to the marts (the BI
database attached read-only) by the pseudonymous keys, filtered by the request's criteria and
the profile's conditions, with the profile's columns only, in the profile's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from .criteria import (
    DELIVERY_STATUS,
    DESIL,
    FRESHNESS,
    NIK_PROBLEM,
    PRIORITY_GROUP,
    PROGRAM,
    REGION,
    Criteria,
)
from .profiles import Profile

BI_CATALOG = "bi"
CURRENT_DELIVERY = f"(select delivery from {BI_CATALOG}.marts.dim_delivery where is_current)"
# Everything a profile may name, per subject: one select each, the identity store joined to
# the marts. A profile releases a subset of SUBJECT_COLUMNS; the other columns serve the
# criteria and the conditions. The identity store holds the current delivery's people only.
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
            households.receives_kks,
            households.receives_kis_pbi,
            households.receives_kip,
            households.receives_rastra_bpnt,
            latest.delivery_status,
            freshness.last_changed_date,
            freshness.months_since_change,
            coalesce(freshness.is_due_for_reverification, false) as is_due_for_reverification
        from {BI_CATALOG}.marts.dim_household as households
        inner join identity.identity_households as identities
            on households.household_key = identities.household_key
        left join {BI_CATALOG}.marts.fct_household_deliveries as latest
            on households.household_key = latest.household_key
            and latest.delivery = {CURRENT_DELIVERY}
        left join {BI_CATALOG}.marts.fct_household_freshness as freshness
            on households.household_key = freshness.household_key
        where households.household_source = 'BDT'
    """,
    "member": f"""
        select
            members.individual_key,
            identities.individual_id,
            identities.household_id,
            identities.full_name,
            identities.nik,
            members.is_nik_valid,
            members.nik_problem,
            identities.family_card_number,
            identities.birth_place,
            identities.birth_date,
            household_identities.address,
            households.village_code,
            households.desil,
            households.receives_pkh,
            households.receives_kks,
            households.receives_kis_pbi,
            households.receives_kip,
            households.receives_rastra_bpnt
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
        "desil", "priority_group", "priority_rank", "delivery_status", "last_changed_date",
        "months_since_change",
    ),
    "member": (
        "individual_id", "household_id", "full_name", "nik", "nik_problem",
        "family_card_number", "birth_place", "birth_date", "address", "village_code", "desil",
    ),
}  # fmt: skip
# The criteria each subject can serve (a profile accepts a subset: profiles.yml `criteria`).
SUBJECT_CRITERIA = {
    "household": (REGION, DESIL, PRIORITY_GROUP, PROGRAM, DELIVERY_STATUS, FRESHNESS),
    "member": (REGION, DESIL, PROGRAM, NIK_PROBLEM),
}
# The fixed condition a profile's purpose implies (profiles.yml `conditions`).
CONDITIONS = {
    "not_receiving_pkh": "not selection.receives_pkh",
    "without_valid_nik": "not selection.is_nik_valid",
    "due_for_reverification": "selection.is_due_for_reverification",
}


@dataclass(frozen=True)
class Delivery:
    """The delivery the marts and the identity store hold (marts.dim_delivery is_current)."""

    name: str
    as_of_date: date


@dataclass(frozen=True)
class Extract:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    delivery: Delivery


def profile_errors(profile: Profile) -> list[str]:
    """What a profile names that its subject does not offer: columns (released or ordered by),
    criteria and conditions."""
    offered_columns = SUBJECT_COLUMNS.get(profile.subject, ())
    offered_criteria = SUBJECT_CRITERIA.get(profile.subject, ())
    return [
        *(
            f"column {column}"
            for column in (*profile.columns, *profile.order)
            if column not in offered_columns
        ),
        *(f"criterion {name}" for name in profile.criteria if name not in offered_criteria),
        *(f"condition {name}" for name in profile.conditions if name not in CONDITIONS),
    ]


def restricted_connection(restricted: Path, bi: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the restricted database with the BI database attached
    read-only as `bi`."""
    connection = duckdb.connect(str(restricted), read_only=True)
    connection.execute(f"attach '{bi}' as {BI_CATALOG} (read_only)")
    return connection


def criteria_filters(criteria: Criteria) -> tuple[list[str], list[Any]]:
    """The where-conditions of the request's criteria and their parameters. Program names are
    checked against criteria.PROGRAMS before they get here (request.py); values are bound."""
    filters = ["selection.village_code like ? || '%'"]
    parameters: list[Any] = [criteria.region]
    if criteria.desil is not None:
        filters.append("selection.desil between ? and ?")
        parameters += list(criteria.desil)
    if criteria.priority_groups:
        filters.append("list_contains(?, selection.priority_group)")
        parameters.append(list(criteria.priority_groups))
    filters += [f"selection.receives_{program}" for program in criteria.receiving]
    filters += [f"not selection.receives_{program}" for program in criteria.not_receiving]
    if criteria.delivery_statuses:
        filters.append("list_contains(?, selection.delivery_status)")
        parameters.append(list(criteria.delivery_statuses))
    if criteria.months_since_change_min is not None:
        filters.append("selection.months_since_change >= ?")
        parameters.append(criteria.months_since_change_min)
    if criteria.nik_problems:
        filters.append("list_contains(?, selection.nik_problem)")
        parameters.append(list(criteria.nik_problems))
    return filters, parameters


def extract_query(profile: Profile, criteria: Criteria) -> tuple[str, list[Any]]:
    """The SQL of an extract and its parameters. Column names come from the profile, checked
    against the subject's catalogue (profile_errors); values are bound as parameters."""
    if profile_errors(profile):
        raise ValueError(f"profile {profile.name} names unknown {profile_errors(profile)}")
    filters, parameters = criteria_filters(criteria)
    filters += [CONDITIONS[condition] for condition in profile.conditions]
    columns = ", ".join(f"selection.{column}" for column in profile.columns)
    order = ", ".join(f"selection.{column} asc nulls last" for column in profile.order)
    sql = (
        f"with selection as ({SUBJECT_SELECTIONS[profile.subject]})\n"
        f"select {columns}\nfrom selection\nwhere {' and '.join(filters)}\norder by {order}"
    )
    return sql, parameters


def current_delivery(connection: duckdb.DuckDBPyConnection) -> Delivery:
    """The delivery the warehouse holds now."""
    name, as_of_date = connection.execute(
        f"select delivery, as_of_date from {BI_CATALOG}.marts.dim_delivery where is_current"
    ).fetchone()
    return Delivery(name=name, as_of_date=as_of_date)


def extract_rows(
    connection: duckdb.DuckDBPyConnection, profile: Profile, criteria: Criteria
) -> Extract:
    """The rows of an extract, in the profile's order, with the profile's columns only, and the
    delivery they come from."""
    sql, parameters = extract_query(profile, criteria)
    return Extract(
        columns=profile.columns,
        rows=connection.execute(sql, parameters).fetchall(),
        delivery=current_delivery(connection),
    )
