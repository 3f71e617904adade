"""Deliveries: a set of raw files with an as-of date, named by a label `YYYY-MM` (as of the first
of that month) or `YYYY-MM-DD`.

A raw folder is one delivery (its label given, or by default the date of the data: the
`reference_date` of the generator's manifest.json beside the files, else dbt's var
`reference_date`), or a folder of delivery folders (`2015-07/`, `2016-01/`, ...), each loaded as
one delivery in date order. Files and delivery folders side by side are an error.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.contract import PROJECT_DIR

from .discover import IGNORED_PATTERNS
from .errors import RawFileError

# Anything shaped like a date label; whether it is a real month or date is checked after.
LABEL_SHAPE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
LABEL_FORMS = "YYYY-MM (as of the first of the month) or YYYY-MM-DD"


@dataclass(frozen=True, order=True)
class Delivery:
    """One delivery to load: sorted by as-of date, then label."""

    as_of_date: dt.date
    label: str
    raw_dir: Path
    # how the label was chosen, said in the load summary (e.g. "--delivery", "folder name")
    origin: str = "--delivery"


def looks_like_label(name: str) -> bool:
    return LABEL_SHAPE.match(name) is not None


def as_of_date(label: str, where: str | Path) -> dt.date:
    """The as-of date of a delivery label; RawFileError naming `where` (the folder) if the label
    is not YYYY-MM or YYYY-MM-DD of a real month or date."""
    match = LABEL_SHAPE.match(label)
    problem = f"delivery label {label!r} is not {LABEL_FORMS}"
    if match is None:
        raise RawFileError(where, problem)
    year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        raise RawFileError(where, f"{problem}: no such {'date' if day else 'month'}") from None


def label_of(date: dt.date) -> str:
    """The label of a default delivery: YYYY-MM for the first of a month, else YYYY-MM-DD."""
    return date.strftime("%Y-%m") if date.day == 1 else date.isoformat()


def project_reference_date() -> dt.date:
    """dbt's var `reference_date` (dbt_project.yml): the date of the data when nothing says."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dt.date.fromisoformat(str(project["vars"]["reference_date"]))


def default_date(raw_dir: Path) -> tuple[dt.date, str]:
    """The as-of date of a folder loaded without --delivery, and where it comes from: the
    `reference_date` of the generator's manifest.json in the folder, else dbt's var."""
    manifest = raw_dir / "manifest.json"
    if manifest.is_file():
        try:
            stated = json.loads(manifest.read_text(encoding="utf-8")).get("reference_date")
        except (ValueError, AttributeError):
            stated = None
        if stated:
            try:
                return dt.date.fromisoformat(str(stated)), f"reference_date of {manifest}"
            except ValueError:
                raise RawFileError(
                    manifest, f"reference_date {stated!r} is not a date (YYYY-MM-DD)"
                ) from None
    return project_reference_date(), "var reference_date of dbt_project.yml"


def _is_raw_file(path: Path) -> bool:
    return path.is_file() and not any(
        fnmatch.fnmatchcase(path.name.lower(), p) for p in IGNORED_PATTERNS
    )


def deliveries_of(raw_dir: Path, label: str | None, warn: Callable[[str], None]) -> list[Delivery]:
    """The deliveries of a raw folder, in as-of date order (see the module's docstring)."""
    if not raw_dir.is_dir():
        raise RawFileError(raw_dir, "no such folder")
    entries = sorted(raw_dir.iterdir())
    folders = [p for p in entries if p.is_dir() and looks_like_label(p.name)]
    if not folders:
        if label is not None:
            return [Delivery(as_of_date(label, raw_dir), label, raw_dir)]
        date, origin = default_date(raw_dir)
        return [Delivery(date, label_of(date), raw_dir, f"no --delivery: {origin}")]
    if label is not None:
        raise RawFileError(
            raw_dir,
            f"--delivery {label} names one delivery, but the folder holds delivery folders "
            f"({', '.join(p.name for p in folders)}), each loaded as its own delivery; "
            "give the folder without --delivery, or one delivery folder with it",
        )
    files = [p.name for p in entries if _is_raw_file(p)]
    if files:
        raise RawFileError(
            raw_dir,
            f"holds both delivery folders ({', '.join(p.name for p in folders)}) and raw files "
            f"({', '.join(files)}): a raw folder is either one delivery (files) or a folder of "
            "deliveries (sub-folders named YYYY-MM or YYYY-MM-DD); move the files into a "
            "delivery folder",
        )
    for other in (p for p in entries if p.is_dir() and p not in folders):
        warn(f"{other}: not a delivery folder (name not {LABEL_FORMS}); skipped")
    deliveries = sorted(Delivery(as_of_date(p.name, p), p.name, p, "folder name") for p in folders)
    check_distinct_dates(deliveries, raw_dir)
    return deliveries


def check_distinct_dates(deliveries: Sequence[Delivery], where: str | Path) -> None:
    """RawFileError when two labels give the same as-of date (e.g. 2015-07 and 2015-07-01):
    the latest delivery must be one."""
    seen: dict[dt.date, str] = {}
    for delivery in deliveries:
        other = seen.setdefault(delivery.as_of_date, delivery.label)
        if other != delivery.label:
            raise RawFileError(
                where,
                f"deliveries {other} and {delivery.label} have the same as-of date "
                f"{delivery.as_of_date}; one label per date",
            )
