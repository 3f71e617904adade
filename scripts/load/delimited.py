"""CSV/TXT files: delimiter and encoding checks, streaming parse with exact physical lines.

Its head (the first MiB) gives the encoding (unless given: the first of UTF-8, cp1252, latin-1
that decodes it) and the header line (see header.py; title lines above it are skipped). The file
is then read in blocks through `_TrackedStream`, which hashes the bytes, counts line breaks,
checks (or transcodes to) UTF-8 and feeds pyarrow's streaming CSV reader; a byte further on that
does not decode in a guessed encoding makes the file be read again in the next one. Every value is
read as a string (empty field = '', "NULL" stays "NULL"). The physical line where each record
starts is the previous record's line + 1 + the line feeds inside its quoted values; at the end
the lines accounted for must equal the line feeds of the file, so that no record boundary was
taken from a carriage return outside quotes.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from tqdm import tqdm

from .errors import RawFileError
from .header import HeaderCandidate, HeaderSearch
from .reading import FileDetails, lineage_batch, progress_bar

DELIMITERS = (",", ";", "\t", "|")
BLOCK_SIZE = 2 << 20  # pyarrow parse block (also the longest record); it reads ahead ~30 blocks
HEADER_LIMIT = 1 << 20
UTF8 = "utf-8"
# Tried in this order for a file without given encoding: the first that decodes it is used
# (iso8859-1, i.e. latin-1, decodes any byte; cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined).
DETECTED_ENCODINGS = (UTF8, "cp1252", "iso8859-1")
OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def checked_encoding(encoding: str) -> str:
    """The codec name of `encoding` when the loader can read it (an ASCII-compatible encoding:
    line breaks, quotes and delimiters are single ASCII bytes); ValueError otherwise."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None
    if name == "utf-8-sig":
        return UTF8
    probe = '\r\n\t",;|azAZ09'
    try:
        ascii_compatible = probe.encode(name) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        ascii_compatible = False
    if not ascii_compatible:
        raise ValueError(
            f"encoding {encoding!r} is not supported: the loader reads encodings where ASCII "
            "characters are single bytes (utf-8, cp1252, latin-1, ...)"
        )
    return name


def delimiter_name(delimiter: str) -> str:
    """How a delimiter is shown in messages: ',' ';' '|' or tab."""
    return "tab" if delimiter == "\t" else repr(delimiter)


def detected_delimiter(header: str) -> str | None:
    """The delimiter of a header line: the candidate (, ; tab |) found most often outside
    double quotes (ties go to the earlier candidate); None when there is none."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


class EncodingSource(StrEnum):
    """Why a CSV/TXT file is read in its encoding."""

    DETECTED = "detected"
    BOM = "UTF-8 byte order mark"
    OPTION = "--encoding"
    REFERENCE = "reference lists are UTF-8"


# Why a file that does not decode was read in that encoding, and what to do about it.
DECODE_ADVICE = {
    EncodingSource.DETECTED: ("the encoding detected", "save the file as UTF-8"),
    EncodingSource.BOM: (
        "the encoding its UTF-8 byte order mark announces",
        "save it as UTF-8 throughout",
    ),
    EncodingSource.OPTION: (
        "the encoding given by --encoding",
        "pass the file's own (--encoding PATTERN=ENC), or no --encoding to have it detected",
    ),
    EncodingSource.REFERENCE: ("the encoding of every reference list", "save it as UTF-8"),
}


class EncodingFallback(RawFileError):
    """A byte that does not decode in the encoding guessed for a file, which has another
    candidate encoding: the file is read again (from its start) in that one."""


def encoding_label(encoding: str) -> str:
    """How an encoding is named in messages: UTF-8, cp1252, ..."""
    return "UTF-8" if encoding == UTF8 else encoding


def bare_carriage_returns(data: bytes) -> int:
    """The carriage returns of `data` not followed by a line feed."""
    return data.count(b"\r") - data.count(b"\r\n")


def bare_carriage_return_near(path: Path, line: int) -> bool:
    """True when physical line `line` of the file, or the line before it, holds a carriage
    return not followed by a line feed (one that may have split the record there). Reads the
    file up to that line."""
    with open(path, "rb") as file:
        for number, text in enumerate(file, start=1):
            if number >= line - 1 and bare_carriage_returns(text):
                return True
            if number >= line:
                break
    return False


@dataclass(frozen=True)
class FileHead:
    """The first bytes of a CSV/TXT file (at most HEADER_LIMIT), where its header is looked for."""

    bom: bool
    body: bytes  # without the byte order mark
    whole_file: bool  # the file is no longer than this

    @property
    def prefix(self) -> bytes:
        return codecs.BOM_UTF8 if self.bom else b""

    def lines(self, count: int) -> list[bytes]:
        """The first `count` complete lines, each with its line break; a last line without
        one counts when the head is the whole file."""
        parts = self.body.split(b"\n", count)
        lines = [part + b"\n" for part in parts[:-1]]
        if len(lines) < count and self.whole_file and parts[-1]:
            lines.append(parts[-1])
        return lines


def file_head(path: Path) -> FileHead:
    """The head of a CSV/TXT file; errors for an empty file and a non-UTF-8 byte order mark."""
    with open(path, "rb") as file:
        start = file.read(HEADER_LIMIT)
    for bom, name in OTHER_BOMS:
        if start.startswith(bom):
            raise RawFileError(
                path,
                f"the file is {name} (it starts with a {name} byte order mark, as Excel's "
                "'Unicode Text' does); save it as CSV UTF-8",
            )
    bom = start.startswith(codecs.BOM_UTF8)
    body = start[len(codecs.BOM_UTF8) :] if bom else start
    if not body.strip():
        raise RawFileError(path, "the file is empty")
    return FileHead(bom=bom, body=body, whole_file=len(start) < HEADER_LIMIT)


def line_text(line: bytes) -> bytes:
    """A physical line without its line break (LF or CRLF)."""
    return line.removesuffix(b"\n").removesuffix(b"\r")


def header_candidate(row: int, text: str) -> HeaderCandidate | None:
    """A non-blank line as a candidate header: its cells, split at the delimiter it shows (in
    its part before any carriage return); None for a line without delimiter."""
    first = text.split("\r", 1)[0]
    delimiter = detected_delimiter(first)
    if delimiter is None:
        return None
    return HeaderCandidate(row, tuple(next(csv.reader([first], delimiter=delimiter))))


# (data, position, file offset, line) of a byte that does not decode -> the error to raise
DecodeError = Callable[[bytes, int, int, int], RawFileError]


class _TrackedStream(io.RawIOBase):
    """The file after its header line, as UTF-8 for pyarrow, keeping count of what it reads:
    bytes, SHA-256, line feeds, CRLFs and carriage returns not followed by a line feed.
    `prefix` is the file up to the end of the header line (byte order mark, title lines and
    header), accounted for but not handed out. A byte that does not decode raises the
    RawFileError of `decode_error` (kept in `error`, since pyarrow may raise it wrapped or in
    its read-ahead thread)."""

    def __init__(
        self,
        file: BinaryIO,
        prefix: bytes,
        bom: bool,
        encoding: str,
        decode_error: DecodeError,
        bar: tqdm,
    ) -> None:
        super().__init__()
        self._file = file
        self._bar = bar
        self._encoding = encoding
        self._decode_error = decode_error
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._sha = hashlib.sha256()
        self._carry = b""  # a trailing \r, counted with the next block
        self._pending = b""  # transcoded bytes not yet handed out
        self._last_byte = b""
        self._stopped = False
        self.error: RawFileError | None = None
        self.bytes = 0
        self.line_feeds = 0
        self.crlf = 0
        self.bare_cr = 0
        self.first_bare_cr_line: int | None = None
        bom_bytes = codecs.BOM_UTF8 if bom else b""
        self._sha.update(bom_bytes)
        self.bytes += len(bom_bytes)
        file.seek(len(prefix))
        self._account(prefix[len(bom_bytes) :])
        bar.update(len(prefix))

    def readable(self) -> bool:
        return True

    def stop(self) -> None:
        """Make further reads (e.g. by pyarrow's read-ahead) return end of file."""
        self._stopped = True

    def read(self, size: int = -1) -> bytes:
        if self._stopped or self.error is not None:
            return b""
        size = size if size and size > 0 else BLOCK_SIZE
        if self._encoding == UTF8:
            return self._read_raw(size)
        while len(self._pending) < size:
            raw = self._read_raw(size)
            self._pending += raw
            if not raw:
                break
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def _read_raw(self, size: int) -> bytes:
        raw = self._file.read(size)
        try:
            out = self._account(raw)
        except RawFileError as exc:
            self.error = exc
            raise
        self._bar.update(len(raw))
        return out

    def _account(self, raw: bytes) -> bytes:
        """Count, hash and decode a block (b"" at the end of the file); the block as UTF-8."""
        final = not raw
        held = self._decoder.getstate()[0]
        try:
            text = self._decoder.decode(raw, final)
        except UnicodeDecodeError as exc:
            position = exc.start - len(held)
            data = held + raw
            line = self.line_feeds + raw.count(b"\n", 0, max(position, 0)) + 1
            raise self._decode_error(data, exc.start, self.bytes + position, line) from None
        self._sha.update(raw)
        data = self._carry + raw
        self._carry = b""
        if not final and data.endswith(b"\r"):
            data, self._carry = data[:-1], b"\r"
        crlf = data.count(b"\r\n")
        bare = bare_carriage_returns(data)
        if bare:
            self._note_bare_cr(data)
        self.bare_cr += bare
        self.crlf += crlf
        self.line_feeds += data.count(b"\n")
        self.bytes += len(raw)
        if raw:
            self._last_byte = raw[-1:]
        return raw if self._encoding == UTF8 else text.encode(UTF8)

    def _note_bare_cr(self, data: bytes) -> None:
        if self.first_bare_cr_line is not None:
            return
        position = data.find(b"\r")
        while data[position + 1 : position + 2] == b"\n":
            position = data.find(b"\r", position + 1)
        self.first_bare_cr_line = self.line_feeds + data.count(b"\n", 0, position) + 1

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    @property
    def physical_lines(self) -> int:
        """Lines of the file: its line feeds, plus a last line without one."""
        return self.line_feeds + (1 if self._last_byte not in (b"\n", b"") else 0)

    @property
    def line_ending(self) -> str:
        """LF, CRLF, mixed, or none (a single line without line break)."""
        if not self.line_feeds:
            return "none"
        if not self.crlf:
            return "LF"
        return "CRLF" if self.crlf == self.line_feeds else "mixed"


def _newline_counts(batch: pa.RecordBatch) -> np.ndarray | None:
    """Per row, the line feeds inside its values (quoted multi-line values); None if none."""
    total: np.ndarray | None = None
    for column in batch.columns:
        data = column.buffers()[2]  # the characters of every value; a fast first look
        if data is None or data.to_pybytes().find(b"\n") == -1:
            continue
        counts = pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
        total = counts if total is None else total + counts
    return total


def _record_starts(batch: pa.RecordBatch, first_line: int) -> tuple[np.ndarray, int]:
    """The physical line where each record of the batch starts, and where the next one will:
    each record takes one line plus the line feeds inside its values."""
    starts = first_line + np.arange(batch.num_rows, dtype=np.int64)
    next_line = first_line + batch.num_rows
    newlines = _newline_counts(batch)
    if newlines is not None:
        starts[1:] += np.cumsum(newlines[:-1])
        next_line += int(newlines.sum())
    return starts, next_line


def _empty_rows(batch: pa.RecordBatch) -> pa.Array | None:
    """Mask of the rows whose every value is '' (blank lines); None if there is none."""
    mask = pc.equal(batch.column(0), "")
    if not pc.any(mask).as_py():
        return None
    for column in batch.columns[1:]:
        mask = pc.and_(mask, pc.equal(column, ""))
    return mask if pc.any(mask).as_py() else None


class DelimitedFile:
    """A CSV/TXT raw file. Making it finds and checks the header line, and the encoding: the
    given one (`encoding`, for the reason `source`), UTF-8 for a file with a UTF-8 byte order
    mark, else the first of DETECTED_ENCODINGS that decodes the head of the file (a later byte
    that does not decode raises EncodingFallback from `batches`: read the file again)."""

    line_label = "line"

    def __init__(
        self,
        path: Path,
        search: HeaderSearch,
        encoding: str | None = None,
        source: EncodingSource = EncodingSource.OPTION,
    ) -> None:
        self.path = path
        head = file_head(path)
        self._bom = head.bom
        if head.bom:
            self._encodings, self.encoding_source = (UTF8,), EncodingSource.BOM
        elif encoding is None:
            self._encodings, self.encoding_source = DETECTED_ENCODINGS, EncodingSource.DETECTED
        else:
            self._encodings, self.encoding_source = (checked_encoding(encoding),), source
        # the candidate encodings dropped, why (a warning each)
        self.rejected_encodings = self._rejected_by(head)
        lines = self._searched_lines(head, search)
        self.header_line = self._header_row(search, lines)
        self._prefix = head.prefix + b"".join(lines[: self.header_line])
        text = self._checked_header_text(lines[self.header_line - 1])
        delimiter = detected_delimiter(text)
        assert delimiter is not None  # the header is a candidate line: it has one
        self.delimiter = delimiter
        self.headers = tuple(next(csv.reader([text], delimiter=delimiter)))
        self.details = FileDetails(
            format=path.suffix.lower().lstrip("."),
            encoding=self.encoding,
            bom=head.bom,
            delimiter=delimiter,
        )

    @property
    def encoding(self) -> str:
        """The encoding the file is read in."""
        return self._encodings[0]

    def _rejected_by(self, head: FileHead) -> list[str]:
        """Drop the candidate encodings that do not decode the head; why, one message each.
        RawFileError when the last one does not."""
        rejected: list[str] = []
        while True:
            decoder = codecs.getincrementaldecoder(self.encoding)()
            try:
                decoder.decode(head.body, head.whole_file)
                return rejected
            except UnicodeDecodeError as exc:
                line = head.body.count(b"\n", 0, exc.start) + 1
                offset = len(head.prefix) + exc.start
                error = self._decode_error(head.body, exc.start, offset, line)
                if not isinstance(error, EncodingFallback):
                    raise error from None
                rejected.append(str(error))
                self._encodings = self._encodings[1:]

    def _decode_error(self, data: bytes, position: int, offset: int, line: int) -> RawFileError:
        """The error for data[position], a byte at file offset `offset` that does not decode:
        EncodingFallback when there is another candidate encoding."""
        problem = (
            f"not valid {encoding_label(self.encoding)} (byte 0x{data[position]:02X} at "
            f"offset {offset})"
        )
        if len(self._encodings) > 1:
            return EncodingFallback(
                self.path, f"{problem}; read as {self._encodings[1]} instead", line=line
            )
        why, advice = DECODE_ADVICE[self.encoding_source]
        return RawFileError(self.path, f"{problem}, {why}; {advice}", line=line)

    def _searched_lines(self, head: FileHead, search: HeaderSearch) -> list[bytes]:
        """The lines of the head up to the last one the header may be on; an error when the
        first one, or the header line given, does not end within the head."""
        lines = head.lines(search.last_row)
        cut = len(lines) < search.last_row and not head.whole_file
        if cut and (not lines or search.given_row is not None):
            raise RawFileError(
                self.path,
                f"no line break in the first {HEADER_LIMIT >> 20} MiB; not a CSV file",
                line=len(lines) + 1,
            )
        return lines

    def _header_row(self, search: HeaderSearch, lines: Sequence[bytes]) -> int:
        """The header line among the lines searched (see header.py); a file whose non-blank
        lines have no delimiter is an error (not a delimited file)."""
        texts = {
            row: line_text(lines[row - 1]).decode(self.encoding)
            for row in range(search.first_row, len(lines) + 1)
        }
        non_blank = [row for row, text in texts.items() if text.strip()]
        candidates = [
            candidate
            for row in non_blank
            if (candidate := header_candidate(row, texts[row])) is not None
        ]
        if non_blank and not candidates:
            raise RawFileError(
                self.path, "no delimiter (',' ';' tab '|') in the header line", line=non_blank[0]
            )
        row = search.chosen(self.path, candidates, self.line_label).row
        assert row is not None  # a line
        return row

    def _checked_header_text(self, line: bytes) -> str:
        """The header line decoded; errors for a carriage return in it or an unclosed quote."""
        text = line_text(line)
        if b"\r" in text:
            raise RawFileError(
                self.path,
                "the header line holds a carriage return (\\r) that does not end the line (lines "
                "ending with a bare \\r, as in classic Mac OS files?); save the file with LF or "
                "CRLF line breaks",
                line=self.header_line,
            )
        decoded = text.decode(self.encoding)
        if decoded.count('"') % 2:
            raise RawFileError(
                self.path, 'the header line has an unclosed quote (")', line=self.header_line
            )
        return decoded

    def batches(self, names: Sequence[str], progress: bool) -> Iterator[pa.RecordBatch]:
        """The records (see RawReader). EncodingFallback when a byte does not decode in an
        encoding that was guessed: the reader then reads in the next one; call again."""
        self.details.rows = self.details.empty_rows_skipped = 0
        try:
            yield from self._read_batches(names, progress)
        except EncodingFallback:
            self._encodings = self._encodings[1:]
            self.details.encoding = self.encoding
            raise

    def _read_batches(self, names: Sequence[str], progress: bool) -> Iterator[pa.RecordBatch]:
        invalid: list[pcsv.InvalidRow] = []  # the first record with a wrong number of fields
        next_line = self.header_line + 1  # where the next record starts
        delivered = 0  # records received from pyarrow (blank ones included)
        size = self.path.stat().st_size
        with (
            progress_bar(self.path.name, size, "B", progress) as bar,
            open(self.path, "rb") as file,
        ):
            stream = _TrackedStream(
                file, self._prefix, self._bom, self.encoding, self._decode_error, bar
            )
            parsed = self._parsed_batches(stream, invalid, header_only=size == len(self._prefix))
            try:
                for batch in parsed:
                    starts, next_line = _record_starts(batch, next_line)
                    if invalid:
                        self._raise_invalid(invalid[0], delivered, starts, next_line, stream)
                    delivered += batch.num_rows
                    yield self._output_batch(batch, names, starts)
            except pa.ArrowException as exc:
                raise RawFileError(
                    self.path,
                    f'cannot be parsed as CSV ({exc}); an unclosed quote (") makes a value '
                    "run on over many lines",
                    line=next_line,
                ) from None
            finally:
                parsed.close()
            if invalid:
                self._raise_invalid(
                    invalid[0], delivered, np.empty(0, np.int64), next_line, stream, final=True
                )
            if next_line - 1 != stream.physical_lines:
                raise RawFileError(
                    self.path,
                    "a carriage return (\\r) outside quotes ends a record early "
                    f"({stream.bare_cr} carriage return(s) not followed by a line feed; "
                    f"{next_line - 1} records and line breaks read, {stream.physical_lines} "
                    "lines in the file); quote such values or remove the \\r",
                    line=stream.first_bare_cr_line,
                )
        self.details.bytes = stream.bytes
        self.details.sha256 = stream.sha256
        self.details.line_ending = stream.line_ending

    def _parsed_batches(
        self, stream: _TrackedStream, invalid: list[pcsv.InvalidRow], header_only: bool
    ) -> Generator[pa.RecordBatch, None, None]:
        """pyarrow's record batches of the records after the header (all columns string);
        the first record with a wrong number of fields is put in `invalid` and skipped."""
        if header_only:  # pyarrow refuses an empty stream
            stream.read()
            return

        def keep_first_invalid(row: pcsv.InvalidRow) -> str:
            if not invalid:
                invalid.append(row)
            return "skip"

        columns = [f"f{i}" for i in range(len(self.headers))]
        reader = pcsv.open_csv(
            stream,
            read_options=pcsv.ReadOptions(
                column_names=columns, block_size=BLOCK_SIZE, use_threads=False
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=self.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=keep_first_invalid,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # checked (or transcoded) by the stream, with its location
            ),
        )
        try:
            yield from reader
        except Exception:
            if stream.error is not None:  # raised in pyarrow's read-ahead, maybe wrapped
                raise stream.error from None
            raise
        finally:
            stream.stop()
            reader.close()
        if stream.error is not None:
            raise stream.error

    def _output_batch(
        self, batch: pa.RecordBatch, names: Sequence[str], starts: np.ndarray
    ) -> pa.RecordBatch:
        """The batch renamed, with `_source_line`, without its blank rows (counted)."""
        arrays = batch.columns
        lines: np.ndarray | pa.Array = starts
        empty = _empty_rows(batch)
        if empty is not None:
            keep = pc.invert(empty)
            self.details.empty_rows_skipped += batch.num_rows - pc.sum(keep).as_py()
            arrays = [pc.filter(a, keep) for a in arrays]
            lines = pc.filter(pa.array(starts), keep)
        self.details.rows += len(lines)
        return lineage_batch(arrays, names, lines)

    def _raise_invalid(
        self,
        row: pcsv.InvalidRow,
        delivered: int,
        starts: np.ndarray,
        next_line: int,
        stream: _TrackedStream,
        final: bool = False,
    ) -> None:
        """Raise the error of the first record with a wrong number of fields once the records
        before it have been received: it starts where the record after it would start
        (`starts`: the lines of the batch just received, `delivered` records before it)."""
        line: int | None = None
        if row.number is not None:  # pyarrow numbers records from 1, header excluded
            index = row.number - 1 - delivered
            if index > len(starts) and not final:
                return
            if 0 <= index < len(starts):
                line = int(starts[index])
            elif index == len(starts):
                line = next_line
        hint = ""
        if "\n" in (row.text or ""):
            hint = '; the record runs over several lines: an unclosed quote (")?'
        elif line is not None and stream.bare_cr and bare_carriage_return_near(self.path, line):
            hint = "; a carriage return (\\r) outside quotes may have split the record"
        raise RawFileError(
            self.path,
            f"{row.actual_columns} field{'s' if row.actual_columns != 1 else ''} where the "
            f"header has {row.expected_columns} (delimiter {delimiter_name(self.delimiter)} "
            f"detected from the header line){hint}",
            line=line,
        )
