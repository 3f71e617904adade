"""manifest.json (arguments, files, facts, defect counts) and manifest_defects.csv (one row per
injected defect). Neither holds personal data: keys are IDARTBDT, IDBDT or IDPKH only."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts.generate.dirt import DIRT_KINDS

MANIFEST = "manifest.json"
DEFECTS = "manifest_defects.csv"
CHANGES = "manifest_changes.csv"  # with --deliveries: the changes since the previous delivery
DELIVERIES = "deliveries.json"  # with --deliveries: OUT's index of the delivery folders
DEFECT_COLUMNS = ("kind", "table", "file", "line", "column", "key")


@dataclass(frozen=True)
class DefectRow:
    kind: str
    table: str
    file: str
    line: int
    column: str
    key: str


def file_entry(path: Path, table: str, rows: int) -> dict[str, object]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "path": path.name,
        "table": table,
        "rows": rows,
        "sha256": digest.hexdigest(),
        "bytes": path.stat().st_size,
    }


def defect_summary(rows: Iterable[DefectRow], rates: dict[str, float]) -> list[dict[str, object]]:
    """Per kind and table: columns, rate, count (rows, cells or columns), unit, description."""
    counts = Counter((r.table, r.kind) for r in rows)
    columns: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        columns.setdefault((r.table, r.kind), set()).update(r.column.split("|"))
    return [
        {
            "kind": k.kind,
            "table": k.table,
            "columns": sorted(columns.get((k.table, k.kind), set())),
            "rate": rates[k.key],
            "count": counts.get((k.table, k.kind), 0),
            "unit": k.unit,
            "description": k.description,
        }
        for k in DIRT_KINDS
    ]


def write_manifest(folder: Path, manifest: dict[str, object], defects: list[DefectRow]) -> None:
    with (folder / DEFECTS).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DEFECT_COLUMNS)
        for d in defects:
            writer.writerow((d.kind, d.table, d.file, d.line, d.column, d.key))
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def previous_outputs(folder: Path) -> list[str]:
    """File names listed by an earlier run's manifest in `folder` (plain names only)."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        names = [str(f["path"]) for f in document.get("files", [])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []
    return [n for n in names if n and Path(n).name == n and not n.startswith(".")]


def previous_deliveries(folder: Path) -> list[str]:
    """Delivery folders listed by an earlier run's deliveries.json in `folder` (plain names)."""
    path = folder / DELIVERIES
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        names = [str(d["folder"]) for d in document.get("deliveries", [])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []
    return [n for n in names if n and Path(n).name == n and not n.startswith(".")]


def remove_outputs(folder: Path) -> None:
    """Remove what an earlier run wrote into `folder` (its manifest's files and the manifest
    files); other files are left alone."""
    for name in [*previous_outputs(folder), DEFECTS, CHANGES, MANIFEST]:
        (folder / name).unlink(missing_ok=True)
