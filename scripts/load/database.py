"""The raw DuckDB database: built in a temporary file of this process beside the target, moved
over it only when every file loaded, one load at a time, owner-only."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

from scripts.contract import RawTable
from scripts.locking import exclusive_lock, lock_wait_seconds
from scripts.restricted_files import owner_only_file, owner_only_files

from .typed import column_map, typed_columns, typed_select, typed_table_name

SCHEMA = "raw"
LOAD_FILES_TABLE = "_load_files"
# One row: the id of the load that wrote the database, checked before it replaces the previous.
LOAD_TABLE = "_load"
# One row per delivery loaded: label, as-of date, load time, the load and folder it came from.
DELIVERIES_TABLE = "_deliveries"
# The SELECT of each Parquet file of a delivery read in place (--parquet-in-place): the raw
# table is then a view over the SELECTs of every delivery.
IN_PLACE_TABLE = "_in_place"
# The lineage column of every export raw table: the label of the delivery of the row.
DELIVERY_COLUMN = "_delivery"
DELIVERIES_COLUMNS = (
    ("delivery", "varchar primary key"),
    ("as_of_date", "date not null"),
    ("loaded_at", "timestamp with time zone not null"),
    ("load_id", "varchar not null"),
    ("raw_dir", "varchar"),
)
IN_PLACE_COLUMNS = (
    ("delivery", "varchar"),
    ("table", "varchar"),
    ("position", "integer"),
    ("select_sql", "varchar"),
)
TEMPORARY_INFIX = ".tmp-"
# Bounded memory on a 2-core machine: DuckDB keeps the blocks it writes cached up to the limit
# (the loader's RSS is about the limit + 300 MB); it spills to `<temp file>.tmp/` beyond it.
CONNECTION_CONFIG = {"threads": "2", "memory_limit": "2GB", "preserve_insertion_order": "true"}
LOAD_FILES_COLUMNS = (
    ("delivery", "varchar"),  # null: a reference list (replaced by every load)
    ("table", "varchar"),
    ("file", "varchar"),
    ("format", "varchar"),
    ("encoding", "varchar"),
    ("bom", "boolean"),
    ("delimiter", "varchar"),
    ("line_ending", "varchar"),
    ("header_line", "varchar"),
    ("rows", "bigint"),
    ("empty_rows_skipped", "bigint"),
    ("extra_columns", "varchar"),
    ("missing_optional_columns", "varchar"),
    ("bytes", "bigint"),
    ("sha256", "varchar"),
    ("header_row", "bigint"),  # line/row of the header (title rows above it)
    ("skipped_reason", "varchar"),  # null: loaded; else why (scripts/load/load_files.py)
    ("duplicate_of", "varchar"),  # the byte-identical file loaded instead
    ("missing_required_columns", "varchar"),  # what a file of another layout lacks
)


def quoted(identifier: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def temporary_path(out: Path) -> Path:
    """Where this process builds the database before it replaces `out`: a name of its own
    (process id and a random part), beside `out` so that the final rename is atomic."""
    return out.with_name(f"{out.name}{TEMPORARY_INFIX}{os.getpid()}-{secrets.token_hex(4)}")


def lock_path(out: Path) -> Path:
    """The lock file that makes loads into `out` one at a time."""
    return out.with_name(out.name + ".lock")


def _remove_database_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    # DuckDB's spill folder of a database file is `<file>.tmp/`
    shutil.rmtree(path.with_name(path.name + ".tmp"), ignore_errors=True)


def removed_leftovers(out: Path) -> list[str]:
    """Delete what interrupted loads into `out` left (their temporary databases, logs and
    spill folders; the caller holds the lock, so no load is writing them); their names."""
    leftovers = sorted(out.parent.glob(f"{out.name}{TEMPORARY_INFIX}*"))
    legacy = out.with_name(out.name + ".tmp")  # the single temporary name of earlier versions
    if legacy.exists():
        leftovers.append(legacy)
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return [path.name for path in leftovers]


def _raw_schema(connection: duckdb.DuckDBPyConnection) -> str:
    """The schema `raw` qualified with the database's catalog (a file named raw.* gives a
    catalog `raw` as well, and an unqualified `raw` would be ambiguous)."""
    (catalog,) = connection.execute("select current_database()").fetchone() or ("",)
    return f"{quoted(catalog)}.{SCHEMA}"


def _print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _holds_deliveries(out: Path) -> bool:
    """Whether `out` is a raw database of deliveries (raw._deliveries), whose deliveries a
    load keeps; False when there is no such file or it was written before deliveries."""
    if not out.is_file():
        return False
    try:
        with duckdb.connect(str(out), read_only=True) as connection:
            found = connection.execute(
                "select count(*) from information_schema.tables where table_catalog = "
                "current_database() and table_schema = ? and table_name = ?",
                [SCHEMA, DELIVERIES_TABLE],
            ).fetchone()
    except duckdb.Error:  # not a DuckDB database: replaced, as before deliveries
        return False
    return bool(found and found[0])


class RawDatabase:
    """The raw database being built. Use as a context manager: leaving it without `commit()`
    (e.g. on an error) removes the temporary file and leaves `out` as it was.

    While it is open, this process holds the lock of `out` (one load at a time: another one
    waits BDT_LOCK_WAIT seconds, default none, then stops naming the holder), and every file it
    creates is owner-only (the raw layer holds personal data)."""

    def __init__(self, out: Path, warn: Callable[[str], None] = _print_warning) -> None:
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        # released (lock, umask) by _release, once: on commit or when leaving without one
        self._held = contextlib.ExitStack()
        self._held.enter_context(exclusive_lock(lock_path(out), "load", lock_wait_seconds(), warn))
        self._held.enter_context(owner_only_files())
        self._connection: duckdb.DuckDBPyConnection | None = None
        try:
            removed = removed_leftovers(out)
            if removed:
                warn(f"removed what an interrupted load left beside {out}: {', '.join(removed)}")
            self.temporary = temporary_path(out)
            self.load_id = str(uuid.uuid4())
            kept = _holds_deliveries(out)
            if kept:
                # the deliveries loaded before are kept: this load changes a copy of them
                shutil.copyfile(out, self.temporary)
            elif out.exists():
                warn(f"{out} was written before deliveries (no raw.{DELIVERIES_TABLE}); replaced")
            self._connection = duckdb.connect(str(self.temporary), config=CONNECTION_CONFIG)
            self._inode = self.temporary.stat().st_ino
            self._schema = _raw_schema(self.connection)
            if not kept:
                self._create_bookkeeping()
        except BaseException:
            self._release()
            raise

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            raise RuntimeError("the raw database is closed")
        return self._connection

    def __enter__(self) -> RawDatabase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            _remove_database_file(self.temporary)
        self._release()

    def _release(self) -> None:
        """Give back the lock and the umask (once: a closed ExitStack does nothing)."""
        self._held.close()

    def _create_bookkeeping(self) -> None:
        """Schema raw and its tables of deliveries, files and in-place SELECTs (empty)."""
        self.connection.execute(f"create schema {self._schema}")
        for table, columns in (
            (DELIVERIES_TABLE, DELIVERIES_COLUMNS),
            (LOAD_FILES_TABLE, LOAD_FILES_COLUMNS),
            (IN_PLACE_TABLE, IN_PLACE_COLUMNS),
        ):
            definitions = ", ".join(f"{quoted(n)} {k}" for n, k in columns)
            self.connection.execute(f"create table {self._schema}.{table} ({definitions})")

    def _qualified(self, table: str) -> str:
        return f"{self._schema}.{quoted(table)}"

    def kind_of(self, table: str) -> str | None:
        """'BASE TABLE', 'VIEW', or None when schema raw has no such table."""
        found = self.connection.execute(
            "select table_type from information_schema.tables where table_catalog = "
            "current_database() and table_schema = ? and table_name = ?",
            [SCHEMA, table],
        ).fetchone()
        return None if found is None else str(found[0])

    def columns_of(self, table: str) -> list[str]:
        return [
            str(name)
            for (name,) in self.connection.execute(
                "select column_name from information_schema.columns where table_catalog = "
                "current_database() and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [SCHEMA, table],
            ).fetchall()
        ]

    def deliveries(self) -> dict[str, str]:
        """The deliveries loaded so far: label -> as-of date (ISO)."""
        rows = self.connection.execute(
            f"select delivery, cast(as_of_date as varchar) from {self._schema}.{DELIVERIES_TABLE}"
        ).fetchall()
        return {str(label): str(date) for label, date in rows}

    def loaded_files(self, delivery: str | None, table: str | None = None) -> dict[str, str | None]:
        """The files of a delivery (None: of the reference lists), optionally of one table, as
        loaded before: file name -> SHA-256 (raw._load_files)."""
        sql = (
            f"select file, sha256 from {self._schema}.{LOAD_FILES_TABLE} "
            "where delivery is not distinct from ?"
        )
        parameters: list[str | None] = [delivery]
        if table is not None:
            sql += ' and "table" = ?'
            parameters.append(table)
        rows = self.connection.execute(sql, parameters).fetchall()
        return {str(name): sha256 for name, sha256 in rows}

    def other_deliveries_in(self, table: str, delivery: str) -> list[str]:
        """The deliveries other than `delivery` whose rows a raw table holds: copied rows (a
        table) or files read in place (a view)."""
        kind = self.kind_of(table)
        if kind == "VIEW":
            sql = (
                f"select distinct delivery from {self._schema}.{IN_PLACE_TABLE} "
                'where "table" = ? and delivery <> ? order by 1'
            )
            return [str(d) for (d,) in self.connection.execute(sql, [table, delivery]).fetchall()]
        if kind is None:
            return []
        sql = (
            f"select distinct {DELIVERY_COLUMN} from {self._qualified(table)} "
            f"where {DELIVERY_COLUMN} <> ? order by 1"
        )
        return [str(d) for (d,) in self.connection.execute(sql, [delivery]).fetchall()]

    def drop(self, table: str) -> None:
        kind = self.kind_of(table)
        if kind is not None:
            self.connection.execute(
                f"drop {'view' if kind == 'VIEW' else 'table'} {self._qualified(table)}"
            )

    def remove_delivery(self, delivery: str, tables: Sequence[str]) -> None:
        """Remove every row of a delivery (its rows in `tables`, its files, its in-place
        SELECTs and its row of raw._deliveries), so that it can be loaded again."""
        for table in tables:
            if self.kind_of(table) == "BASE TABLE":
                self.connection.execute(
                    f"delete from {self._qualified(table)} where {DELIVERY_COLUMN} = ?", [delivery]
                )
        for bookkeeping in (DELIVERIES_TABLE, LOAD_FILES_TABLE, IN_PLACE_TABLE):
            self.connection.execute(
                f"delete from {self._schema}.{bookkeeping} where delivery = ?", [delivery]
            )

    def ensure_table(self, table: str, columns: Sequence[str], per_delivery: bool = True) -> None:
        """A raw table: the data columns (text), `_source_file` (text), `_source_line`, and for
        an export table `_delivery`. An existing one (rows of other deliveries) gets the data
        columns it lacks (null in its rows); a view whose deliveries are all gone is replaced."""
        if self.kind_of(table) == "VIEW":
            self.drop(table)
        existing = self.columns_of(table)
        if existing:
            for column in (c for c in columns if c not in existing):
                self.connection.execute(
                    f"alter table {self._qualified(table)} add column {quoted(column)} varchar"
                )
            return
        definitions = [f"{quoted(c)} varchar" for c in columns]
        definitions += ['"_source_file" varchar', '"_source_line" bigint']
        if per_delivery:
            definitions.append(f"{quoted(DELIVERY_COLUMN)} varchar")
        columns_sql = ", ".join(definitions)
        self.connection.execute(f"create table {self._qualified(table)} ({columns_sql})")

    def _lineage_columns(self, per_delivery: bool) -> list[tuple[str, str]]:
        lineage = [("_source_file", "varchar"), ("_source_line", "bigint")]
        return lineage + ([(DELIVERY_COLUMN, "varchar")] if per_delivery else [])

    def ensure_typed(self, table: RawTable) -> None:
        """The typed table beside a raw table with a column map (scripts/load/typed.py), with
        the columns its map gives: one missing, or of other columns (written by an earlier
        loader or contract), is created again from every row of the raw table."""
        columns = column_map(table)
        if not columns:
            return
        name = typed_table_name(table.identifier)
        wanted = [*self._lineage_columns(not table.is_reference), *typed_columns(columns)]
        found = self.connection.execute(
            "select column_name, lower(data_type) from duckdb_columns() where database_name = "
            "current_database() and schema_name = ? and table_name = ? order by column_index",
            [SCHEMA, name],
        ).fetchall()
        if found == wanted:
            return
        self.drop(name)
        definitions = ", ".join(f"{quoted(n)} {kind}" for n, kind in wanted)
        self.connection.execute(f"create table {self._qualified(name)} ({definitions})")
        if self.kind_of(table.identifier) is not None:
            self.insert_typed(table)

    def insert_typed(self, table: RawTable, delivery: str | None = None) -> None:
        """Append the typed rows of a raw table (of one delivery, or all) to its typed table."""
        columns = column_map(table)
        if not columns:
            return
        lineage = tuple(n for n, _ in self._lineage_columns(not table.is_reference))
        where = f"{DELIVERY_COLUMN} = {sql_text(delivery)}" if delivery is not None else ""
        select = typed_select(columns, self._qualified(table.identifier), lineage, where)
        self.connection.execute(
            f"insert into {self._qualified(typed_table_name(table.identifier))} by name {select}"
        )

    def create_table(self, table: str, columns: Sequence[str]) -> None:
        """A raw table of the reference lists (not per delivery), replaced by every load."""
        self.drop(table)
        self.ensure_table(table, columns, per_delivery=False)

    def create_view(self, table: str, delivery: str, selects: Sequence[str]) -> None:
        """A raw table as a view over the Parquet files where they lie: the SELECTs of this
        delivery (each giving the table's columns, `_source_file` and `_source_line`) are
        recorded in raw._in_place, and the view is the union (by column name) of the SELECTs
        of every delivery, in as-of date order (the delivery is in raw._deliveries already)."""
        self.drop(table)
        self.connection.executemany(
            f"insert into {self._schema}.{IN_PLACE_TABLE} values (?, ?, ?, ?)",
            [(delivery, table, position, select) for position, select in enumerate(selects)],
        )
        recorded = self.connection.execute(
            f"select in_place.delivery, in_place.select_sql from {self._schema}.{IN_PLACE_TABLE} "
            f"as in_place join {self._schema}.{DELIVERIES_TABLE} as deliveries "
            'on deliveries.delivery = in_place.delivery where in_place."table" = ? '
            "order by deliveries.as_of_date, in_place.delivery, in_place.position",
            [table],
        ).fetchall()
        body = "\nunion all by name\n".join(
            f"select *, {sql_text(str(label))} as {quoted(DELIVERY_COLUMN)} from ({select})"
            for label, select in recorded
        )
        self.connection.execute(f"create view {self._qualified(table)} as {body}")

    def insert_batches(
        self,
        table: str,
        source_file: str,
        batches: Generator[pa.RecordBatch, None, None],
        delivery: str | None = None,
    ) -> None:
        """Append the batches of one file (columns: some of the table's data columns, then
        `_source_line`) by one INSERT streaming from them, in order; the table's other columns
        stay NULL; `_delivery` is `delivery` (None: a reference list, which has no such column). An
        error raised while reading the file is re-raised as is."""
        with contextlib.closing(batches):
            first = next(batches, None)
            if first is None:
                return
            failures: list[BaseException] = []

            def guarded() -> Iterator[pa.RecordBatch]:
                yield first
                try:
                    yield from batches
                except BaseException as exc:  # raised inside DuckDB's scan, which wraps it
                    failures.append(exc)
                    raise

            names = ", ".join(quoted(n) for n in first.schema.names)
            self.connection.register(
                "_batches", pa.RecordBatchReader.from_batches(first.schema, guarded())
            )
            try:
                lineage, values = '"_source_file"', sql_text(source_file)
                if delivery is not None:
                    lineage += f", {quoted(DELIVERY_COLUMN)}"
                    values += f", {sql_text(delivery)}"
                self.connection.execute(
                    f"insert into {self._schema}.{quoted(table)} ({names}, {lineage}) "
                    f"select {names}, {values} from _batches"
                )
            except duckdb.Error:
                if failures:
                    raise failures[0] from None
                raise
            finally:
                self.connection.unregister("_batches")

    def write_load_files(self, rows: Iterable[dict[str, object]]) -> None:
        """Rows of `raw._load_files`, one per file found (a delivery's rows were removed
        before by remove_delivery, the reference lists' rows are replaced here when given)."""
        names = [name for name, _ in LOAD_FILES_COLUMNS]
        schema = pa.schema(
            [
                (
                    name,
                    pa.bool_()
                    if kind == "boolean"
                    else pa.int64()
                    if kind == "bigint"
                    else pa.string(),
                )
                for name, kind in LOAD_FILES_COLUMNS
            ]
        )
        table = pa.Table.from_pylist(list(rows), schema=schema)
        self.connection.register("_load_files_rows", table)
        self.connection.execute(
            f"insert into {self._schema}.{LOAD_FILES_TABLE} "
            f"select {', '.join(quoted(n) for n in names)} from _load_files_rows"
        )
        self.connection.unregister("_load_files_rows")

    def remove_reference_files(self, table: str) -> None:
        """The rows of raw._load_files of a reference list (replaced when its files change)."""
        self.connection.execute(
            f'delete from {self._schema}.{LOAD_FILES_TABLE} where delivery is null and "table" = ?',
            [table],
        )

    def record_delivery(self, delivery: str, as_of: str, raw_dir: Path) -> None:
        """The row of raw._deliveries of a delivery just loaded (loaded_at: now)."""
        self.connection.execute(
            f"insert into {self._schema}.{DELIVERIES_TABLE} "
            "values (?, cast(? as date), current_timestamp, ?, ?)",
            [delivery, as_of, self.load_id, str(raw_dir)],
        )

    def commit(self) -> None:
        """Mark the load complete, close the database and move it over `out` (atomically,
        same folder), after checking that the file there is this process's complete one."""
        self.connection.execute(
            f"create or replace table {self._schema}.{LOAD_TABLE} as select ? as load_id, "
            "? as loader_pid, current_timestamp as completed_at",
            [self.load_id, os.getpid()],
        )
        self.connection.execute("checkpoint")
        self.connection.close()
        self._connection = None
        self._check_complete()
        os.replace(self.temporary, self.out)
        owner_only_file(self.out)
        # A write-ahead log left by a crashed writer of the old file must not replay onto this one.
        self.out.with_name(self.out.name + ".wal").unlink(missing_ok=True)
        self._release()

    def _check_complete(self) -> None:
        """The temporary file is the one this process created and holds its completed load."""
        problem = ""
        if not self.temporary.is_file() or self.temporary.stat().st_ino != self._inode:
            problem = "is no longer the file this load created"
        else:
            with duckdb.connect(str(self.temporary), read_only=True) as connection:
                found = connection.execute(
                    f"select load_id from {_raw_schema(connection)}.{LOAD_TABLE}"
                ).fetchall()
            if found != [(self.load_id,)]:
                problem = f"does not hold this load (load ids {found})"
        if problem:
            _remove_database_file(self.temporary)
            raise RuntimeError(f"{self.temporary} {problem}; {self.out} was left as it was")
