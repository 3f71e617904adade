"""Writers that append one chunk at a time: CSV (quoted only where needed), Parquet (one row
group per chunk, all columns text) and Excel (write-only workbook, all cells text)."""

from __future__ import annotations

import re
import zipfile
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scripts.generate.config import CsvOptions
from scripts.generate.render import Columns

XLSX_MAX_DATA_ROWS = 1_048_575
# Fixed timestamps inside xlsx files, so that the same arguments give the same bytes.
FIXED_TIME = datetime(2017, 9, 1)


class TooManyRowsError(ValueError):
    """More rows than the file format holds."""


class TableWriter(ABC):
    """Appends chunks of one raw table's rows to one file."""

    def __init__(self, path: Path, headers: tuple[str, ...]) -> None:
        self.path = path
        self.headers = headers
        self.rows = 0

    @abstractmethod
    def write(self, columns: Columns) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @property
    def first_data_line(self) -> int:
        """Line (CSV), sheet row (Excel) or 1-based row (Parquet) of the first data row."""
        return 2


class CsvWriter(TableWriter):
    def __init__(self, path: Path, headers: tuple[str, ...], options: CsvOptions) -> None:
        super().__init__(path, headers)
        self.delimiter = options.delimiter
        self.eol = "\r\n" if options.crlf else "\n"
        self.special = "[" + re.escape(self.delimiter) + '"\r\n]'
        self.file = path.open("wb")
        if options.bom:
            self.file.write("\ufeff".encode())
        line = self.delimiter.join(self._quote_text(h) for h in headers) + self.eol
        self.file.write(line.encode("utf-8"))

    def _quote_text(self, value: str) -> str:
        if re.search(self.special, value):
            return '"' + value.replace('"', '""') + '"'
        return value

    def _quoted(self, array: pa.Array) -> pa.Array:
        needs = pc.match_substring_regex(array, self.special)
        if not pc.any(needs).as_py():
            return array
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(array, '"', '""'), '"', "")
        return pc.if_else(needs, quoted, array)

    def write(self, columns: Columns) -> None:
        arrays = [self._quoted(a) for a in columns.values()]
        n = len(arrays[0])
        if n == 0:
            return
        lines = pc.binary_join_element_wise(*arrays, self.delimiter)
        lines = pc.binary_join_element_wise(lines, self.eol, "")
        if isinstance(lines, pa.ChunkedArray):
            lines = lines.combine_chunks()
        offset_type = np.int64 if pa.types.is_large_string(lines.type) else np.int32
        offsets = np.frombuffer(lines.buffers()[1], dtype=offset_type)
        start, end = int(offsets[lines.offset]), int(offsets[lines.offset + n])
        self.file.write(memoryview(lines.buffers()[2])[start:end])
        self.rows += n

    def close(self) -> None:
        self.file.close()


class ParquetTableWriter(TableWriter):
    def __init__(self, path: Path, headers: tuple[str, ...]) -> None:
        super().__init__(path, headers)
        self.schema = pa.schema([pa.field(h, pa.string()) for h in headers])
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    @property
    def first_data_line(self) -> int:
        return 1

    def write(self, columns: Columns) -> None:
        n = len(next(iter(columns.values())))
        if n == 0:
            return
        table = pa.Table.from_arrays(list(columns.values()), schema=self.schema)
        self.writer.write_table(table, row_group_size=n)
        self.rows += n

    def close(self) -> None:
        self.writer.close()


class XlsxWriter(TableWriter):
    def __init__(self, path: Path, headers: tuple[str, ...], sheet: str) -> None:
        from openpyxl import Workbook

        super().__init__(path, headers)
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.created = FIXED_TIME
        self.workbook.properties.modified = FIXED_TIME
        self.sheet = self.workbook.create_sheet(sheet[:31])
        self.sheet.append(list(headers))

    def write(self, columns: Columns) -> None:
        n = len(next(iter(columns.values())))
        if self.rows + n > XLSX_MAX_DATA_ROWS:
            raise TooManyRowsError(
                f"{self.path.name}: {self.rows + n:,} rows do not fit in an Excel sheet "
                f"({XLSX_MAX_DATA_ROWS:,} data rows at most); use --format csv or parquet"
            )
        lists = [a.to_pylist() for a in columns.values()]
        for row in zip(*lists, strict=True):
            self.sheet.append(row)
        self.rows += n

    def close(self) -> None:
        self.workbook.save(self.path)
        fixed_zip_times(self.path)


def fixed_zip_times(path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed entry timestamps and core properties."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def make_writer(
    file_format: str, path: Path, headers: tuple[str, ...], options: CsvOptions
) -> TableWriter:
    if file_format == "csv":
        return CsvWriter(path, headers, options)
    if file_format == "parquet":
        return ParquetTableWriter(path, headers)
    if file_format == "xlsx":
        return XlsxWriter(path, headers, path.stem)
    raise ValueError(f"unknown format {file_format!r}")
