"""Which deliveries a build processes, in date order.

The current marts show one delivery (macro current_delivery); the history models
(models/marts/history) are incremental, one delivery per dbt run. A build therefore runs dbt
once per delivery still to build, oldest first, and ends with the latest (a plain `dbt build`).
Still to build: a delivery of the raw layer that the history does not hold
(intermediate.int_loads__built_deliveries), or holds from an earlier load of it; then every later
delivery as well, so that history is rebuilt in date order when an older delivery arrives late.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

BUILT_DELIVERIES_TABLE = "intermediate.int_loads__built_deliveries"


@dataclass(frozen=True, order=True)
class LoadedDelivery:
    as_of_date: dt.date
    delivery: str
    loaded_at: dt.datetime


def loaded_deliveries(raw_database: Path) -> list[LoadedDelivery]:
    """The raw layer's deliveries (raw._deliveries), oldest first."""
    with duckdb.connect(str(raw_database), read_only=True) as connection:
        # the database is named after the file (raw), as its schema is: both named
        rows = connection.execute(
            "select as_of_date, delivery, loaded_at from raw.raw._deliveries order by as_of_date"
        ).fetchall()
    return [LoadedDelivery(*row) for row in rows]


def built_deliveries(restricted_database: Path) -> dict[str, dt.datetime]:
    """Delivery -> load time of the raw rows the history was built from; empty when the
    database or the table is not there (a new build)."""
    if not restricted_database.is_file():
        return {}
    with duckdb.connect(str(restricted_database), read_only=True) as connection:
        schema, table = BUILT_DELIVERIES_TABLE.split(".")
        present = connection.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()
        if not present or present[0] == 0:
            return {}
        rows = connection.execute(f"select delivery, loaded_at from {BUILT_DELIVERIES_TABLE}")
        return dict(rows.fetchall())


def deliveries_to_build(
    loaded: list[LoadedDelivery], built: dict[str, dt.datetime]
) -> list[LoadedDelivery]:
    """The deliveries to build, oldest first: from the oldest one the history lacks (or holds
    from an earlier load) to the latest. Empty when the history is up to date (the build then
    processes the latest delivery alone)."""
    pending = [d for d in loaded if built.get(d.delivery) != d.loaded_at]
    if not pending:
        return []
    start = min(pending).as_of_date
    return [d for d in sorted(loaded) if d.as_of_date >= start]


def recorded_deliveries(record: Path) -> dict[str, dt.datetime]:
    """The deliveries a record of record_built_deliveries() holds (delivery -> load time);
    empty when there is none."""
    if not record.is_file():
        return {}
    entries = json.loads(record.read_text(encoding="utf-8"))
    return {delivery: dt.datetime.fromisoformat(loaded) for delivery, loaded in entries.items()}


def record_built_deliveries(record: Path, built: list[LoadedDelivery]) -> None:
    """Write (replace atomically) the record of the deliveries a whole build has built, for a
    target that builds in place (Spark): written only after a build that passed, so that a build
    that failed half-way leaves the record as it was and the next build replays what it began."""
    fresh = record.with_name(record.name + ".new")
    entries = {d.delivery: d.loaded_at.isoformat() for d in built}
    fresh.write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(fresh, record)
