"""Write, audit, publish on PostgreSQL: dbt builds into `<schema>__build` schemas (macro
generate_schema_name), and a build whose models and tests passed is published by renaming them
over the live schemas in one transaction. BI sessions see either the previous warehouse or the
new one, never a half-built `marts`; a session inside a transaction keeps reading the previous
tables, which are dropped afterwards (waiting at most LOCK_TIMEOUT for their readers; a drop
that times out is retried by the next build)."""

from __future__ import annotations

import os

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection as Connection

BUILD_SUFFIX = "__build"
OLD_SUFFIX = "__old"
LOCK_TIMEOUT = "10s"


def postgres_connection() -> Connection:
    """A connection as the warehouse owner, from the variables of the `postgres` dbt target."""
    return psycopg2.connect(
        host=os.environ.get("BDT_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("BDT_PG_PORT", "5432")),
        dbname=os.environ.get("BDT_PG_DATABASE", "bdt"),
        user=os.environ.get("BDT_PG_USER", "bdt_owner"),
        password=os.environ.get("DBT_ENV_SECRET_PG_PASSWORD") or None,
    )


def _schemas_ending(connection: Connection, suffix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where right(nspname, %s) = %s order by nspname",
            [len(suffix), suffix],
        )
        return [name for (name,) in cursor.fetchall()]


def _drop_schemas(connection: Connection, names: list[str]) -> list[str]:
    """Drop each schema (cascade), each in its own transaction; the names that could not be
    dropped within LOCK_TIMEOUT (a reader still inside a transaction on them)."""
    kept: list[str] = []
    for name in names:
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(
                    sql.SQL("set local lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT))
                )
                cursor.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(name)))
        except psycopg2.errors.LockNotAvailable:
            kept.append(name)
    return kept


def dropped_leftovers(connection: Connection) -> list[str]:
    """Remove what earlier builds left: unpublished build schemas, previous schemas not yet
    dropped. Returns messages."""
    messages = []
    for suffix, what in ((BUILD_SUFFIX, "an unpublished build"), (OLD_SUFFIX, "a replaced build")):
        names = _schemas_ending(connection, suffix)
        kept = _drop_schemas(connection, names)
        if names:
            messages.append(f"PostgreSQL: dropped the schemas of {what}: {', '.join(names)}")
        if kept:
            raise RuntimeError(
                f"PostgreSQL: schemas {', '.join(kept)} are still read by a session; try again"
            )
    return messages


def published_schemas(connection: Connection) -> tuple[list[str], list[str]]:
    """Rename every `<schema>__build` over `<schema>` in one transaction, then drop the
    replaced schemas; the published schemas, and those replaced ones still read by a session
    (left as `<schema>__old` until the next build)."""
    built = _schemas_ending(connection, BUILD_SUFFIX)
    if not built:
        raise RuntimeError("PostgreSQL: no build schema (<schema>__build) to publish")
    live = [name.removesuffix(BUILD_SUFFIX) for name in built]
    with connection, connection.cursor() as cursor:
        cursor.execute("select nspname from pg_namespace")
        existing = {name for (name,) in cursor.fetchall()}
        for name in live:
            if name in existing:
                cursor.execute(
                    sql.SQL("alter schema {} rename to {}").format(
                        sql.Identifier(name), sql.Identifier(name + OLD_SUFFIX)
                    )
                )
            cursor.execute(
                sql.SQL("alter schema {} rename to {}").format(
                    sql.Identifier(name + BUILD_SUFFIX), sql.Identifier(name)
                )
            )
    return live, _drop_schemas(connection, [n + OLD_SUFFIX for n in live if n in existing])
