"""From a file's header to the raw table's columns: normalised names, required and extra columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.contract import LINEAGE_COLUMNS, RawTable, normalise_header

from .errors import RawFileError


@dataclass(frozen=True)
class FileColumns:
    headers: tuple[str, ...]  # as spelled in the file, in file order
    names: tuple[str, ...]  # the raw column of each file column (normalised, unique)
    extra: tuple[str, ...]  # names not in the contract, in file order
    missing_optional: tuple[str, ...]  # optional contract columns the file lacks
    unnamed: tuple[str, ...]  # names given to columns with an empty header (column_<n>)


def unnamed_column(position: int) -> str:
    """The raw column name of a file column with an empty header (1-based position)."""
    return f"column_{position}"


def file_columns(
    path: Path,
    table: RawTable,
    headers: Sequence[str],
    header_line: int | None = None,
    line_label: str = "line",
) -> FileColumns:
    """Check a file's headers against the table's contract and name its columns.

    Errors: two headers with the same normalised name, a header taking a loader column's name,
    a required column missing."""
    names: list[str] = []
    unnamed: list[str] = []
    first_position: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        name = normalise_header(header)
        if not name:
            name = unnamed_column(position)
            unnamed.append(name)
        if name in first_position:
            other = first_position[name]
            raise RawFileError(
                path,
                f"headers {headers[other - 1]!r} (column {other}) and {header!r} "
                f"(column {position}) both read as {name!r}; rename one of them",
                line=header_line,
                line_label=line_label,
            )
        if name in LINEAGE_COLUMNS:
            raise RawFileError(
                path,
                f"header {header!r} (column {position}) takes the name of the loader's column "
                f"{name!r}; rename it",
                line=header_line,
                line_label=line_label,
            )
        first_position[name] = position
        names.append(name)
    present = set(names)
    missing = [c.header for c in table.columns if c.required and c.name not in present]
    if missing:
        raise RawFileError(
            path,
            f"missing required column(s) {', '.join(missing)} (headers are matched in any "
            f"letter case; found: {', '.join(headers)})",
        )
    contract = set(table.column_names)
    return FileColumns(
        headers=tuple(headers),
        names=tuple(names),
        extra=tuple(n for n in names if n not in contract),
        missing_optional=tuple(
            c.name for c in table.columns if not c.required and c.name not in present
        ),
        unnamed=tuple(unnamed),
    )


def table_columns(table: RawTable, files: Iterable[FileColumns]) -> tuple[str, ...]:
    """The raw table's data columns: the contract's in contract order, then the extra columns
    of its files in first-seen order (the loader's lineage columns come after these)."""
    columns = list(table.column_names)
    for file in files:
        columns += [n for n in file.extra if n not in columns]
    return tuple(columns)
