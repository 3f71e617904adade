"""Fail when a description is written out twice in the models' YAML instead of in a doc block.

A text used by several models or columns lives once in a `{% docs name %}` block under
models/docs/ and is referenced as '{{ doc("name") }}', so that the copies cannot drift apart.
This reads every models/**/_*__models.yml (model and column descriptions) and reports each text
of MIN_WORDS words or more that is written verbatim (up to whitespace) in two entries or more.
The sources' YAML (_*__sources.yml) is left out: it documents the raw files' columns, one entry
per raw column, in its own layout. `python -m scripts.check_doc_blocks` (part of `make lint`)
exits 1 and lists the repetitions.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Shorter texts ("Province name.", "IDBDT of the household.") may repeat; longer ones may not.
MIN_WORDS = 4


@dataclass(frozen=True)
class Entry:
    """Where a description is written: file, model, and column (None: the model's own)."""

    path: Path
    model: str
    column: str | None

    @property
    def where(self) -> str:
        """model, or model.column."""
        return self.model if self.column is None else f"{self.model}.{self.column}"


def models_yaml_files(models_dir: Path) -> list[Path]:
    """The models' properties files (not the sources')."""
    return sorted(models_dir.rglob("_*__models.yml"))


def descriptions(path: Path) -> list[tuple[Entry, str]]:
    """Every model and column description of one properties file."""
    found: list[tuple[Entry, str]] = []
    for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
        found.append((Entry(path, model["name"], None), model.get("description") or ""))
        for column in model.get("columns") or []:
            entry = Entry(path, model["name"], column["name"])
            found.append((entry, column.get("description") or ""))
    return found


def repeated_descriptions(paths: list[Path], min_words: int = MIN_WORDS) -> dict[str, list[Entry]]:
    """Text -> the entries that write it out, for texts of min_words words or more written in
    two entries or more. A description that is only a doc() reference is not a text."""
    entries: dict[str, list[Entry]] = defaultdict(list)
    for path in paths:
        for entry, description in descriptions(path):
            text = " ".join(description.split())
            if len(text.split()) >= min_words and not is_doc_reference(text):
                entries[text].append(entry)
    return {text: found for text, found in entries.items() if len(found) > 1}


def is_doc_reference(text: str) -> bool:
    """True for a description that is exactly one '{{ doc("name") }}'."""
    inner = text.removeprefix("{{").removesuffix("}}").strip()
    return text.startswith("{{") and text.endswith("}}") and inner.startswith("doc(")


def main() -> int:
    repeated = repeated_descriptions(models_yaml_files(PROJECT_DIR / "models"))
    for text, entries in repeated.items():
        print(f"repeated description ({len(entries)} entries): {text[:100]}")
        for entry in entries:
            print(f"  {entry.path.relative_to(PROJECT_DIR)}: {entry.where}")
    if repeated:
        print(
            f"{len(repeated)} description(s) written out more than once: put each in a"
            " {% docs name %} block under models/docs/ and reference it as"
            " '{{ doc(\"name\") }}'."
        )
        return 1
    print("doc blocks: no description written out twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
