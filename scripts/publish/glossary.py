"""The definitions of every published measure as a Markdown table (README section "Definitions
of the published measures", kept current by a test): `python -m scripts.publish.glossary`."""

from __future__ import annotations

from .labels import DEFINITIONS, MEASURES


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def definitions_markdown() -> str:
    """One row per measure: its code, English label, numerator and denominator (none for a
    count)."""
    lines = [
        "| measure | what | numerator | denominator |",
        "|---|---|---|---|",
    ]
    for code, label in MEASURES.items():
        definition = DEFINITIONS[code]
        denominator = definition.denominator.en if definition.denominator else "(a count)"
        lines.append(
            f"| `{code}` | {_cell(label.en)} | {_cell(definition.numerator.en)} "
            f"| {_cell(denominator)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(definitions_markdown(), end="")
