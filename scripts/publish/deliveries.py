"""The deliveries of the warehouse and what changed between them: which delivery the data is
(marts.dim_delivery), households by desil in every delivery, where each household of the two
latest deliveries was and went (marts.fct_household_deliveries), and how long ago each
household last changed (marts.fct_household_freshness). Read as counts only (no key leaves
DuckDB).

The definitions live here, once each:
- a household's desil category in a delivery (DESIL categories, NON_TARGET, ABSENT);
- how two deliveries are linked (LINKING, in the SQL of `transition_counts`);
- the kinds of change between them (CHANGE_KINDS, `change_kind`);
- the freshness bands (FRESHNESS_BANDS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

# A household outside the target desil in a delivery (desil null: above the target desil or
# unranked), and a household not in a delivery at all.
NON_TARGET = "non_target"
ABSENT = "absent"

# How the latest delivery's households are linked to the previous delivery's: by the same
# household_key, or, for a household re-registered under a new ID (delivery_status
# 'reregistered'), by its predecessor_household_key. A split household (a new household formed
# by members of another), a returned one and a new one have no household in the previous
# delivery: they entered.
LINKING = "same household_key, or predecessor_household_key when re-registered"
REREGISTERED_STATUS = "reregistered"

# The kinds of change between the previous delivery and the latest, one per household present
# in either (they add up to the households of either delivery); `reregistered` counts, besides,
# the households of the latest delivery that are re-registrations (of which).
ENTERED = "entered"
EXITED = "exited"
MOVED_UP = "moved_up"
MOVED_DOWN = "moved_down"
UNCHANGED = "unchanged"
REREGISTERED = "reregistered"
CHANGE_KINDS = (ENTERED, EXITED, MOVED_UP, MOVED_DOWN, UNCHANGED)


def category_rank(category: str) -> int:
    """The order of desil categories from the poorest: desil 1, 2, ... then non-target (above
    the target desil, or unranked: better off as far as the registry tells)."""
    return 10_000 if category == NON_TARGET else int(category)


def change_kind(before: str, after: str) -> str:
    """The kind of change of a household in desil category `before` in the previous delivery
    and `after` in the latest (ABSENT when not there): entered (absent before), exited (absent
    after), moved up (to a higher desil, or out of the target desil: better off), moved down
    (to a lower desil, or into the target desil from outside it), unchanged (same category)."""
    if before == ABSENT:
        return ENTERED
    if after == ABSENT:
        return EXITED
    if before == after:
        return UNCHANGED
    return MOVED_UP if category_rank(after) > category_rank(before) else MOVED_DOWN


@dataclass(frozen=True)
class FreshnessBand:
    code: str
    low: int
    high: int | None  # None: no upper bound


# Months since the household's last change (marts.fct_household_freshness.months_since_change),
# at the latest delivery. 24 months or more: due for re-verification (CECAD's rule, the mart's
# is_due_for_reverification).
FRESHNESS_BANDS = (
    FreshnessBand("0_11", 0, 11),
    FreshnessBand("12_23", 12, 23),
    FreshnessBand("24_plus", 24, None),
)
UNKNOWN_BAND = "unknown"


def band_sql(column: str) -> str:
    """The CASE expression of FRESHNESS_BANDS on a months column (UNKNOWN_BAND when null)."""
    cases = " ".join(
        f"when {column} >= {band.low}"
        + (f" and {column} <= {band.high}" if band.high is not None else "")
        + f" then '{band.code}'"
        for band in FRESHNESS_BANDS
    )
    return f"case {cases} else '{UNKNOWN_BAND}' end"


@dataclass(frozen=True)
class Delivery:
    label: str
    as_of: date
    # The optional raw columns none of its files holds, as "raw_table.column" (lower case;
    # marts.dim_delivery.absent_optional_columns): what they feed is "not in this delivery".
    absent_columns: frozenset[str] = frozenset()


# The date of the data when the warehouse has no marts.dim_delivery (built before deliveries
# were recorded): the PBDT 2015 reference date.
PBDT_2015 = Delivery("2015-07", date(2015, 7, 1))

HISTORY_MARTS = ("fct_household_deliveries", "fct_household_freshness")


@dataclass(frozen=True)
class History:
    """Counts over the deliveries, for the selection at the rows' level.

    `stocks`: delivery, region_code, category, households (every delivery);
    `transitions`: region_code, before, after, reregistered, households between the two latest
    deliveries, each household in the region where it was in the previous delivery (where it
    is in the latest when it entered); empty with one delivery;
    `freshness`: region_code, band, households of the latest delivery."""

    deliveries: tuple[Delivery, ...]
    regions: pd.DataFrame  # region_code, region_name
    stocks: pd.DataFrame
    transitions: pd.DataFrame
    freshness: pd.DataFrame

    @property
    def latest(self) -> Delivery:
        return self.deliveries[-1]

    @property
    def previous(self) -> Delivery | None:
        return self.deliveries[-2] if len(self.deliveries) > 1 else None


def _tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()
    return {str(name) for (name,) in rows}


def current_delivery(connection: duckdb.DuckDBPyConnection) -> Delivery:
    """The delivery the current marts show: marts.dim_delivery's is_current row (the latest
    as-of date when none is marked); PBDT_2015 when the warehouse records no delivery."""
    if "dim_delivery" not in _tables(connection):
        return PBDT_2015
    (has_absent,) = connection.execute(
        "select count(*) from information_schema.columns where table_schema = 'marts'"
        " and table_name = 'dim_delivery' and column_name = 'absent_optional_columns'"
    ).fetchone()
    absent = "absent_optional_columns" if has_absent else "''"
    row = connection.execute(
        f"select delivery, as_of_date, {absent} from marts.dim_delivery"
        " order by is_current desc nulls last, as_of_date desc limit 1"
    ).fetchone()
    if row is None:
        return PBDT_2015
    return Delivery(str(row[0]), row[1], frozenset(filter(None, str(row[2] or "").split(","))))


PrefixFilter = Callable[[str], tuple[str, list[str]]]


def read_history(
    connection: duckdb.DuckDBPyConnection,
    code_column: str,
    name_column: str,
    prefix_filter: PrefixFilter,
) -> History | None:
    """The counts of History at the level of dim_region's `code_column`, for the villages
    `prefix_filter(column)` keeps; None when the warehouse has no history marts."""
    present = _tables(connection)
    if not all(name in present for name in (*HISTORY_MARTS, "dim_delivery")):
        return None
    rows = connection.execute(
        "select delivery, min(as_of_date) from marts.fct_household_deliveries"
        " group by delivery order by 2, 1"
    ).fetchall()
    if not rows:
        return None
    deliveries = tuple(Delivery(str(label), as_of) for label, as_of in rows)
    latest = deliveries[-1].label
    previous = deliveries[-2].label if len(deliveries) > 1 else None
    where, parameters = prefix_filter("r.village_code")
    stocks = connection.execute(
        f"""
        select d.delivery, r.{code_column} as region_code,
            coalesce(cast(cast(d.desil as integer) as varchar), '{NON_TARGET}') as category,
            count(*) as households
        from marts.fct_household_deliveries as d
        inner join marts.dim_region as r on d.village_code = r.village_code
        where {where}
        group by all order by all
        """,
        parameters,
    ).fetchdf()
    regions = connection.execute(
        f"""
        select distinct r.{code_column} as region_code, r.{name_column} as region_name
        from marts.fct_household_deliveries as d
        inner join marts.dim_region as r on d.village_code = r.village_code
        where {where}
        order by 1
        """,
        parameters,
    ).fetchdf()
    transitions = (
        transition_counts(connection, previous, latest, code_column, prefix_filter)
        if previous is not None
        else pd.DataFrame(columns=["region_code", "before", "after", "reregistered", "households"])
    )
    freshness = connection.execute(
        f"""
        select r.{code_column} as region_code, {band_sql("f.months_since_change")} as band,
            count(*) as households
        from marts.fct_household_deliveries as d
        inner join marts.dim_region as r on d.village_code = r.village_code
        left join marts.fct_household_freshness as f on d.household_key = f.household_key
        where d.delivery = ? and {where}
        group by all order by all
        """,
        [latest, *parameters],
    ).fetchdf()
    return History(deliveries, regions, stocks, transitions, freshness)


def transition_counts(
    connection: duckdb.DuckDBPyConnection,
    previous: str,
    latest: str,
    code_column: str,
    prefix_filter: PrefixFilter,
) -> pd.DataFrame:
    """Households by (region, category before, category after, re-registered) between two
    deliveries, linked as LINKING says; the region is the one of the previous delivery, or the
    latest's for a household that entered."""
    where, parameters = prefix_filter("r.village_code")
    query = f"""
        with before as (
            select household_key, village_code,
                coalesce(cast(cast(desil as integer) as varchar), '{NON_TARGET}') as category
            from marts.fct_household_deliveries
            where delivery = ?
        ),
        after as (
            select
                case when delivery_status = '{REREGISTERED_STATUS}'
                    and predecessor_household_key is not null
                    then predecessor_household_key else household_key end as link_key,
                delivery_status = '{REREGISTERED_STATUS}' as reregistered,
                village_code,
                coalesce(cast(cast(desil as integer) as varchar), '{NON_TARGET}') as category
            from marts.fct_household_deliveries
            where delivery = ?
        ),
        linked as (
            select
                coalesce(b.village_code, a.village_code) as village_code,
                coalesce(b.category, '{ABSENT}') as before,
                coalesce(a.category, '{ABSENT}') as after,
                coalesce(a.reregistered, false) as reregistered
            from before as b
            full outer join after as a on b.household_key = a.link_key
        )
        select r.{code_column} as region_code, l.before, l.after, l.reregistered,
            count(*) as households
        from linked as l
        inner join marts.dim_region as r on l.village_code = r.village_code
        where {where}
        group by all order by all
    """
    return connection.execute(query, [previous, latest, *parameters]).fetchdf()
