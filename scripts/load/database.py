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

from scripts.locking import exclusive_lock, lock_wait_seconds
from scripts.restricted_files import owner_only_file, owner_only_files

SCHEMA = "raw"
LOAD_FILES_TABLE = "_load_files"
# One row: the id of the load that wrote the database, checked before it replaces the previous.
LOAD_TABLE = "_load"
TEMPORARY_INFIX = ".tmp-"
# Bounded memory on a 2-core machine: DuckDB keeps the blocks it writes cached up to the limit
# (the loader's RSS is about the limit + 300 MB); it spills to `<temp file>.tmp/` beyond it.
CONNECTION_CONFIG = {"threads": "2", "memory_limit": "2GB", "preserve_insertion_order": "true"}
LOAD_FILES_COLUMNS = (
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
            self._connection = duckdb.connect(str(self.temporary), config=CONNECTION_CONFIG)
            self._inode = self.temporary.stat().st_ino
            self._schema = _raw_schema(self.connection)
            self.connection.execute(f"create schema {self._schema}")
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

    def create_table(self, table: str, columns: Sequence[str]) -> None:
        """A raw table: the data columns (text), `_source_file` (text), `_source_line`."""
        definitions = [f"{quoted(c)} varchar" for c in columns]
        definitions += ['"_source_file" varchar', '"_source_line" bigint']
        columns_sql = ", ".join(definitions)
        self.connection.execute(f"create table {self._schema}.{quoted(table)} ({columns_sql})")

    def create_view(self, table: str, selects: Sequence[str]) -> None:
        """A raw table as a view over the files where they lie (the union of `selects`, each
        giving the table's columns, `_source_file` and `_source_line`)."""
        body = "\nunion all\n".join(selects)
        self.connection.execute(f"create view {self._schema}.{quoted(table)} as {body}")

    def insert_batches(
        self, table: str, source_file: str, batches: Generator[pa.RecordBatch, None, None]
    ) -> None:
        """Append the batches of one file (columns: some of the table's data columns, then
        `_source_line`) by one INSERT streaming from them, in order; the table's other columns
        stay NULL. An error raised while reading the file is re-raised as is."""
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
                self.connection.execute(
                    f'insert into {self._schema}.{quoted(table)} ({names}, "_source_file") '
                    f"select {names}, {sql_text(source_file)} from _batches"
                )
            except duckdb.Error:
                if failures:
                    raise failures[0] from None
                raise
            finally:
                self.connection.unregister("_batches")

    def write_load_files(self, rows: Iterable[dict[str, object]]) -> None:
        """The table `raw._load_files`: one row per loaded file."""
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
        definitions = ", ".join(f"{quoted(n)} {k}" for n, k in LOAD_FILES_COLUMNS)
        self.connection.execute(f"create table {self._schema}.{LOAD_FILES_TABLE} ({definitions})")
        self.connection.register("_load_files_rows", table)
        self.connection.execute(
            f"insert into {self._schema}.{LOAD_FILES_TABLE} "
            f"select {', '.join(quoted(n) for n in names)} from _load_files_rows"
        )
        self.connection.unregister("_load_files_rows")

    def commit(self) -> None:
        """Mark the load complete, close the database and move it over `out` (atomically,
        same folder), after checking that the file there is this process's complete one."""
        self.connection.execute(
            f"create table {self._schema}.{LOAD_TABLE} as select ? as load_id, ? as loader_pid, "
            "current_timestamp as completed_at",
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
