"""The one error of the load step: a raw file (or the raw folder) that cannot be loaded."""

from __future__ import annotations

from pathlib import Path


class RawFileError(Exception):
    """A raw file that cannot be loaded, with where the problem is.

    `str()` gives the message the CLI prints after `error: `, e.g.
    `data/raw/bdt_art.csv: line 57: 3 fields where the header has 68 (...)`.
    `line` is the physical line of a CSV/TXT file (header = line 1) or the sheet row of an
    Excel file (then `line_label` is "row").
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        line: int | None = None,
        column: str | None = None,
        line_label: str = "line",
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.column = column
        self.line_label = line_label
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"{self.line_label} {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        parts.append(self.problem)
        return ": ".join(parts)
