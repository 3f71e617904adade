"""The raw file contract: which files feed which raw table, and their columns.

The contract lives in one place, the dbt source definitions (`models/staging/*/_*__sources.yml`):
each source table names its raw table (`identifier`), the file name patterns that feed it
(`config.meta.file_patterns`), and each column's header as spelled in real exports and whether it
is required. The loader, the generator and the README's contract table all read it from there.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
# The loader's own columns of a raw table (the delivery label only in export tables).
LINEAGE_COLUMNS = ("_source_file", "_source_line", "_delivery")
FILE_EXTENSIONS = (".csv", ".txt", ".xlsx", ".parquet")


@dataclass(frozen=True)
class RawColumn:
    name: str  # normalised (lower-case) name, the raw table's column
    header: str  # spelling in real exports
    required: bool
    description: str
    # The column map of staging (scripts/load/typed.py): the staged name, its kind, and the
    # name its cleaned text is kept under as well; None when the column is not staged.
    staged_as: str | None = None
    kind: str | None = None
    text_as: str | None = None


@dataclass(frozen=True)
class RawTable:
    source: str  # dbt source name, e.g. "bdt"
    name: str  # dbt source table name, e.g. "households"
    identifier: str  # raw table, e.g. "bdt_households"
    description: str
    file_patterns: tuple[str, ...]
    columns: tuple[RawColumn, ...]
    # Reference tables (region code lists) are read from the reference folder, their
    # file_patterns being paths relative to it; the others from the raw exports folder.
    is_reference: bool = False

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def headers(self) -> tuple[str, ...]:
        """The file headers in contract order, as spelled in real exports."""
        return tuple(c.header for c in self.columns)

    def matches(self, file_name: str) -> bool:
        """True when a file of this name feeds this table (letter case ignored). For a
        reference table, pass the path relative to the reference folder, '/'-separated
        (e.g. "bps_mfd_2018/provinces.csv"): its patterns are such paths."""
        stem, suffix = _split_name(file_name.lower())
        return suffix in FILE_EXTENSIONS and any(
            fnmatch.fnmatchcase(stem, pattern.lower()) for pattern in self.file_patterns
        )


def _split_name(file_name: str) -> tuple[str, str]:
    """(name without extension, keeping any folders; extension), e.g. ("a/b", ".csv")."""
    path = Path(file_name)
    return path.with_suffix("").as_posix(), path.suffix


def normalise_header(header: str) -> str:
    """The raw column name for a file header: BOM, quotes and blanks removed, lower case,
    runs of spaces, dots and dashes turned into one underscore."""
    name = header.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"[\s.\-/]+", "_", name).lower()


@cache
def raw_tables(project_dir: Path = PROJECT_DIR) -> tuple[RawTable, ...]:
    """Every raw table of the contract, in the order of the sources files."""
    tables: list[RawTable] = []
    for path in sorted(project_dir.glob(SOURCES_GLOB)):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in document.get("sources", []):
            for table in source.get("tables", []):
                meta = (table.get("config") or {}).get("meta") or {}
                if "file_patterns" not in meta:
                    continue
                columns = tuple(
                    RawColumn(
                        name=col["name"],
                        header=col["config"]["meta"]["header"],
                        required=bool(col["config"]["meta"]["required"]),
                        description=col.get("description", ""),
                        staged_as=col["config"]["meta"].get("staged_as"),
                        kind=col["config"]["meta"].get("kind"),
                        text_as=col["config"]["meta"].get("text_as"),
                    )
                    for col in table["columns"]
                    if col["name"] not in LINEAGE_COLUMNS
                )
                tables.append(
                    RawTable(
                        source=source["name"],
                        name=table["name"],
                        identifier=table.get("identifier", table["name"]),
                        description=" ".join(table.get("description", "").split()),
                        file_patterns=tuple(meta["file_patterns"]),
                        columns=columns,
                        is_reference=bool(meta.get("reference", False)),
                    )
                )
    return tuple(tables)


def export_tables() -> tuple[RawTable, ...]:
    """The tables fed by the agencies' exports (BDT, PKH, FKP), not the reference lists."""
    return tuple(table for table in raw_tables() if not table.is_reference)


def reference_tables() -> tuple[RawTable, ...]:
    """The tables fed by the public reference folder (region code lists)."""
    return tuple(table for table in raw_tables() if table.is_reference)


def raw_table(identifier: str) -> RawTable:
    """The contract of one raw table, by its identifier (e.g. "bdt_households")."""
    for table in raw_tables():
        if table.identifier == identifier:
            return table
    raise KeyError(f"no raw table {identifier!r} in {SOURCES_GLOB}")


def contract_markdown() -> str:
    """The raw file contract as Markdown tables, for the README."""
    lines: list[str] = []
    for table in export_tables():
        patterns = ", ".join(f"`{p}.csv`" for p in table.file_patterns)
        lines += [
            f"#### `{table.identifier}` (source `{table.source}.{table.name}`)",
            "",
            f"{table.description} Files: {patterns} (also `.txt`, `.xlsx`, `.parquet`).",
            "",
            "| header | required | meaning |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{c.header}` | {'yes' if c.required else ''} | {c.description} |"
            for c in table.columns
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(contract_markdown())
