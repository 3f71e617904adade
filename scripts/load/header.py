"""Which row of a file is its header, and whether the file is of the table's layout at all.

Government workbooks often have title rows above the header ("DATA PKH KOTA TANJUNG BALAI", a
date, a blank row). The header is the first of the leading rows (at most HEADER_SEARCH_ROWS)
that holds every required column of the table, or the row given with `--header-row`. A file
whose every candidate row holds fewer than OTHER_LAYOUT_SHARE of the table's required columns is
of another layout (e.g. a summary per kecamatan named like a payment list): it is skipped. A file
with more of them but not all is a broken file of the table: the missing columns are an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.contract import RawTable, normalise_header

from .errors import RawFileError

HEADER_SEARCH_ROWS = 20  # leading rows (lines) of a CSV/TXT or Excel file searched for the header
OTHER_LAYOUT_SHARE = 0.5  # below this share of the required columns, a file is another layout


def checked_header_row(value: int | str) -> int:
    """A header row given (e.g. on the command line): a line/row number from 1, else
    ValueError."""
    row = value if isinstance(value, int) else int(value) if value.isdigit() else 0
    if row < 1:
        raise ValueError(f"header row {value!r} is not a line/row number (1, 2, ...)")
    return row


@dataclass(frozen=True)
class HeaderCandidate:
    row: int | None  # its line (CSV/TXT) or sheet row, 1-based; None for Parquet column names
    cells: tuple[str, ...]  # as spelled in the file


class OtherLayoutError(RawFileError):
    """A file named like a raw table's files whose columns are another layout: skipped."""

    def __init__(self, path: Path, table: RawTable, missing: tuple[str, ...], where: str) -> None:
        self.missing = missing  # the required columns (raw names) its best candidate lacks
        headers = dict(zip(table.column_names, table.headers(), strict=True))
        super().__init__(
            path,
            f"not the layout of raw table {table.identifier}: it lacks "
            f"{', '.join(headers[m] for m in missing)} (fewer than "
            f"{OTHER_LAYOUT_SHARE:.0%} of the table's required columns in {where})",
        )


@dataclass(frozen=True)
class HeaderSearch:
    """Where to look for the header of a file of `table`: the given row, or the leading rows."""

    table: RawTable
    given_row: int | None = None  # --header-row

    @property
    def first_row(self) -> int:
        return self.given_row or 1

    @property
    def last_row(self) -> int:
        return self.given_row or HEADER_SEARCH_ROWS

    def missing(self, cells: Sequence[str]) -> tuple[str, ...]:
        """The table's required columns (raw names) that these header cells lack."""
        present = {normalise_header(c) for c in cells}
        return tuple(c for c in self.table.required_columns if c not in present)

    def chosen(
        self, path: Path, candidates: Sequence[HeaderCandidate], line_label: str
    ) -> HeaderCandidate:
        """The header among the non-blank candidate rows, in file order: the first holding every
        required column, else the one holding most (the missing ones are then reported by the
        column check). OtherLayoutError when that one holds fewer than OTHER_LAYOUT_SHARE of
        them; RawFileError when there is no candidate."""
        if not candidates:
            if self.given_row is not None:
                raise RawFileError(
                    path,
                    f"the header {line_label} is empty",
                    line=self.given_row,
                    line_label=line_label,
                )
            raise RawFileError(
                path, f"no header: the first {HEADER_SEARCH_ROWS} {line_label}s are empty"
            )
        best = min(candidates, key=lambda c: len(self.missing(c.cells)))  # the first on ties
        missing = self.missing(best.cells)
        required = len(self.table.required_columns)
        if required - len(missing) < OTHER_LAYOUT_SHARE * required:
            raise OtherLayoutError(path, self.table, missing, self._where(best, line_label))
        return best

    def _where(self, best: HeaderCandidate, line_label: str) -> str:
        if best.row is None:
            return "its column names"
        if self.given_row is not None:
            return f"{line_label} {self.given_row}, the header {line_label} given"
        return f"any of its first {HEADER_SEARCH_ROWS} {line_label}s"
