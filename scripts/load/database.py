"""The raw DuckDB database: built in a temporary file beside the target, moved over it only when
every file loaded."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

SCHEMA = "raw"
LOAD_FILES_TABLE = "_load_files"
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
)


def quoted(identifier: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def temporary_path(out: Path) -> Path:
    """Where the database is built before it replaces `out`."""
    return out.with_name(out.name + ".tmp")


def _remove_database_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


class RawDatabase:
    """The raw database being built. Use as a context manager: leaving it without `commit()`
    (e.g. on an error) removes the temporary file and leaves `out` as it was."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.temporary = temporary_path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_database_file(self.temporary)
        self._connection: duckdb.DuckDBPyConnection | None = duckdb.connect(
            str(self.temporary), config=CONNECTION_CONFIG
        )
        # Qualified with the catalog: a file named raw.* gives a catalog `raw` as well.
        (catalog,) = self.connection.execute("select current_database()").fetchone() or ("",)
        self._schema = f"{quoted(catalog)}.{SCHEMA}"
        self.connection.execute(f"create schema {self._schema}")

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
        """Close the database and move it over `out` (atomically, same folder)."""
        self.connection.execute("checkpoint")
        self.connection.close()
        self._connection = None
        os.replace(self.temporary, self.out)
        # A write-ahead log left by a crashed writer of the old file must not replay onto this one.
        self.out.with_name(self.out.name + ".wal").unlink(missing_ok=True)
