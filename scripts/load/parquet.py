"""Parquet files: every column cast to text by DuckDB, streamed in record batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .database import quoted, sql_text
from .errors import RawFileError
from .header import HeaderCandidate, HeaderSearch
from .reading import LINE_COLUMN, FileDetails, file_digest, progress_bar

BATCH_ROWS = 100_000
READER_CONFIG = {"threads": "2", "memory_limit": "1GB", "preserve_insertion_order": "true"}


class ParquetFile:
    """A Parquet raw file. Making it reads the schema (the column names, checked to be of the
    table's layout) and the row count."""

    line_label = "row"
    header_line = None

    def __init__(self, path: Path, search: HeaderSearch) -> None:
        self.path = path
        try:
            parquet = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise RawFileError(path, f"not a readable Parquet file ({exc})") from None
        self.headers = tuple(parquet.schema_arrow.names)
        self._rows = parquet.metadata.num_rows
        parquet.close()
        search.chosen(path, [HeaderCandidate(None, self.headers)], self.line_label)
        self.details = FileDetails(format="parquet")

    def in_place_select(self, names: Sequence[str], table_columns: Sequence[str], name: str) -> str:
        """A SELECT reading the file where it lies, in the raw table's columns (`table_columns`,
        then `_source_file` = `name`, `_source_line`), values as `batches` gives them: every
        column as DuckDB casts it to VARCHAR, a Parquet null as '', NULL for a column the file
        lacks. Records the file's details (rows, bytes, sha256) as if it had been read."""
        by_name = dict(zip(names, self.headers, strict=True))
        selects = [
            f"coalesce(cast({quoted(by_name[c])} as varchar), '') as {quoted(c)}"
            if c in by_name
            else f"cast(null as varchar) as {quoted(c)}"
            for c in table_columns
        ]
        self.details.rows = self._rows
        self.details.bytes, self.details.sha256 = file_digest(self.path)
        return (
            f"select {', '.join(selects)}, {sql_text(name)} as _source_file, "
            f"file_row_number + 1 as {LINE_COLUMN} "
            f"from read_parquet({sql_text(str(self.path.resolve()))}, file_row_number = true)"
        )

    def batches(self, names: Sequence[str], progress: bool) -> Iterator[pa.RecordBatch]:
        """Every value as DuckDB casts it to VARCHAR (a Parquet null as ''), in file order;
        `_source_line` is the 1-based row number."""
        selects = [
            f"coalesce(cast({quoted(h)} as varchar), '') as {quoted(n)}"
            for h, n in zip(self.headers, names, strict=True)
        ]
        sql = (
            f"select {', '.join(selects)}, file_row_number + 1 as {LINE_COLUMN} "
            f"from read_parquet({sql_text(str(self.path))}, file_row_number = true)"
        )
        connection = duckdb.connect(config=READER_CONFIG)
        try:
            with progress_bar(self.path.name, self._rows, "row", progress) as bar:
                try:
                    reader = connection.sql(sql).to_arrow_reader(BATCH_ROWS)
                    for batch in reader:
                        bar.update(batch.num_rows)
                        self.details.rows += batch.num_rows
                        yield batch
                except duckdb.Error as exc:
                    raise RawFileError(self.path, f"cannot be read as Parquet ({exc})") from None
        finally:
            connection.close()
        self.details.bytes, self.details.sha256 = file_digest(self.path)
