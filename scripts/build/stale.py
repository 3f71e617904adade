"""Relations a build no longer makes, dropped before it is published.

A DuckDB build starts from a copy of the published databases (it carries the history), so a
model renamed or removed from the project would leave its table there for good, and BI tools
would go on reading data that nothing refreshes. After dbt passed, every table or view in a
schema where the project puts models or seeds, but that is no model or seed of the manifest
of this build, is dropped. Other schemas (the failing rows of `--store-failures`) are left.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

RelationName = tuple[str, str, str]  # database (file stem), schema, name
BUILT_RESOURCES = ("model", "seed")


def project_relations(manifest: Path) -> set[RelationName]:
    """The relations of the project's models and seeds, from dbt's manifest.json."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        (node["database"], node["schema"], node["alias"])
        for node in nodes
        if node["resource_type"] in BUILT_RESOURCES
    }


def dropped_stale_relations(databases: list[Path], manifest: Path) -> list[str]:
    """Drop, in the DuckDB files `databases` (each attached under its file stem, as dbt names
    them), the relations of the project's schemas that the manifest does not list; their names."""
    kept = project_relations(manifest)
    schemas = {(database, schema) for database, schema, _ in kept}
    dropped = []
    with duckdb.connect() as connection:
        for path in databases:
            connection.execute(f"attach '{path}' as \"{path.stem}\"")
        present = connection.execute(
            "select database_name, schema_name, table_name, 'table' from duckdb_tables()"
            " union all"
            " select database_name, schema_name, view_name, 'view' from duckdb_views()"
            " where not internal"
        ).fetchall()
        for database, schema, name, kind in sorted(present):
            if (database, schema) in schemas and (database, schema, name) not in kept:
                connection.execute(f'drop {kind} "{database}"."{schema}"."{name}"')
                dropped.append(f"{database}.{schema}.{name}")
    return dropped
