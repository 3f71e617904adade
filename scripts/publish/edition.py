"""The editions of the publication and what every output states about it.

An edition is one language with its number format: the Indonesian edition (the edition of
record: bdt_tables.xlsx, report.html, report.md, charts/<name>.png) writes 2.034 and 15,1; the
English one (bdt_tables_en.xlsx, report_en.html, report_en.md, charts/<name>_en.png) writes
2,034 and 15.1. The CSV tables are machine format and belong to no edition.

The Imprint is what the workbook, the report and the charts say about the publication: its
title (which follows the target desil), the selection, the thresholds and the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import labels
from .model import Label

# --locale: one edition or both.
BOTH = "both"
# Stems of the files of an edition (Edition.file_name adds its suffix).
WORKBOOK_STEM = "bdt_tables"
REPORT_STEM = "report"


@dataclass(frozen=True)
class Edition:
    """A language of the publication: its texts, numbers and file names."""

    language: str  # the Label attribute: "id" or "en"
    file_suffix: str  # added to the stem of every file of the edition
    excel_locale: str  # the locale tag of Excel number formats ([$-LCID])
    thousands: str
    decimal: str

    def text(self, label: Label) -> str:
        return str(getattr(label, self.language))

    def file_name(self, stem: str, extension: str) -> str:
        """report + .html -> report.html (Indonesian) or report_en.html (English)."""
        return f"{stem}{self.file_suffix}{extension}"

    def number_text(self, value: float, decimals: int, grouped: bool = True) -> str:
        """A number as this edition writes it: 2.034 / 15,1 (Indonesian), 2,034 / 15.1."""
        english = f"{value:{',' if grouped else ''}.{decimals}f}"
        return english.translate(str.maketrans({",": self.thousands, ".": self.decimal}))


INDONESIAN = Edition("id", "", "[$-421]", thousands=".", decimal=",")
ENGLISH = Edition("en", "_en", "[$-409]", thousands=",", decimal=".")
EDITIONS: dict[str, Edition] = {edition.language: edition for edition in (INDONESIAN, ENGLISH)}
LOCALES = (*EDITIONS, BOTH)


def editions_of(locale: str) -> tuple[Edition, ...]:
    """The editions a --locale value asks for (id, en or both)."""
    return tuple(EDITIONS.values()) if locale == BOTH else (EDITIONS[locale],)


@dataclass(frozen=True)
class Imprint:
    """What the outputs state about the publication: selection, target desil, thresholds,
    the warehouse read and the dates."""

    selection: Label
    level: Label
    bands: dict[int, Label]
    k: int
    small_base: int
    warehouse: str
    built: date  # when the warehouse file was written (its build)
    published: date
    delivery: str  # the delivery the marts show (marts.dim_delivery's current row)
    as_of: date  # the date of its data (ages are at that date)

    @property
    def max_desil(self) -> int:
        return max(self.bands)

    @property
    def title(self) -> Label:
        return labels.publication_title(self.max_desil)

    @property
    def dates(self) -> Label:
        return labels.data_dates_note(
            self.delivery, self.as_of, self.built.isoformat(), self.published.isoformat()
        )
