"""python -m scripts.extract.report: the audit log of the by-name extracts as a report for the
data protection officer (Markdown, owner-only, beside the log).

    python -m scripts.extract.report [--log warehouse/extracts/extracts_audit.jsonl] \
        [--since 2026-01-01] [--until 2026-12-31]

It states whether the log's hash chain is intact, then per organisation and profile the
requests served and refused and the rows handed over, every refusal with its reason, and every
list handed over (who, when, purpose, legal basis, criteria, delivery, rows, files and their
sha256). Like the log, it holds no personal data of the listed people."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from scripts.build.paths import warehouse_folder
from scripts.restricted_files import owner_only_file, owner_only_files

from .audit import AUDIT_LOG, chain_breaks, entries
from .folders import extracts_folder

REPORT_PREFIX = "extracts_audit_report"
SHORT_HASH = 12


def in_period(entry: dict[str, Any], since: date | None, until: date | None) -> bool:
    """True when the entry was logged within [since, until] (UTC dates, bounds included)."""
    logged = datetime.fromisoformat(entry["logged_at"]).date()
    return (since is None or logged >= since) and (until is None or logged <= until)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table (| in values escaped)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = ("" if value is None else str(value).replace("|", "\\|") for value in row)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def described_criteria(criteria: dict[str, Any]) -> str:
    return "; ".join(f"{name} {value}" for name, value in criteria.items())


def summary_rows(logged: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Per organisation and profile: requests served, refused, rows handed over."""
    served: Counter[tuple[str, str]] = Counter()
    refused: Counter[tuple[str, str]] = Counter()
    rows: Counter[tuple[str, str]] = Counter()
    for entry in logged:
        key = (entry["organisation"] or "(none)", entry["profile"])
        if entry["refused"]:
            refused[key] += 1
        else:
            served[key] += 1
            rows[key] += entry["row_count"] or 0
    keys = sorted(set(served) | set(refused))
    return [(*key, served[key], refused[key], rows[key]) for key in keys]


HANDED_OVER_HEADERS = (
    "logged at (UTC)",
    "requester",
    "organisation",
    "purpose",
    "legal basis",
    "profile",
    "criteria",
    "delivery",
    "rows",
    "encrypted",
    "files (sha256, first 12)",
)


def handed_over_rows(logged: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """One row per list handed over (HANDED_OVER_HEADERS)."""
    return [
        (
            entry["logged_at"],
            entry["requester"],
            entry["organisation"],
            entry["purpose"],
            entry["legal_basis"],
            entry["profile"],
            described_criteria(entry["criteria"]),
            entry.get("delivery"),
            entry["row_count"],
            "yes" if entry.get("encrypted") else "no",
            ", ".join(f"{file['name']} ({file['sha256'][:SHORT_HASH]})" for file in entry["files"]),
        )
        for entry in logged
        if not entry["refused"]
    ]


def report_markdown(
    log: Path, breaks: list[int], since: date | None, until: date | None, now: datetime
) -> str:
    """The report of the log for the period; `breaks` are its chain_breaks."""
    every_entry = entries(log)
    logged = [entry for entry in every_entry if in_period(entry, since, until)]
    period = f"{since or 'the first entry'} to {until or 'the last entry'}"
    integrity = (
        f"intact: every entry chains to the one before it ({len(every_entry)} entries)"
        if not breaks
        else "BROKEN at line(s) "
        + ", ".join(map(str, breaks))
        + ": entries were edited, removed or inserted there; compare with a backup"
    )
    lines = [
        "# By-name extracts: audit report for the data protection officer",
        "",
        f"- Log: `{log}`",
        f"- Period: {period}; written {now:%Y-%m-%d %H:%M} UTC",
        f"- Hash chain: {integrity}",
        f"- Requests: {len(logged)}, of which "
        f"{sum(not entry['refused'] for entry in logged)} served and "
        f"{sum(entry['refused'] for entry in logged)} refused; rows handed over: "
        f"{sum(entry['row_count'] or 0 for entry in logged if not entry['refused'])}",
        "",
        "## Per organisation and profile",
        "",
        *table(
            ("organisation", "profile", "served", "refused", "rows handed over"),
            summary_rows(logged),
        ),
        "",
        "## Refused requests",
        "",
        *table(
            ("logged at (UTC)", "requester", "organisation", "profile", "reason"),
            (
                (e["logged_at"], e["requester"], e["organisation"], e["profile"], e["reason"])
                for e in logged
                if e["refused"]
            ),
        ),
        "",
        "## Lists handed over",
        "",
        *table(HANDED_OVER_HEADERS, handed_over_rows(logged)),
        "",
    ]
    return "\n".join(lines)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.extract.report", description=__doc__)
    parser.add_argument("--log", help="the audit log (default: the extracts folder's)")
    parser.add_argument("--since", type=date.fromisoformat, help="first day (UTC), YYYY-MM-DD")
    parser.add_argument("--until", type=date.fromisoformat, help="last day (UTC), YYYY-MM-DD")
    parser.add_argument(
        "--warehouse", help="warehouse folder (default BDT_WAREHOUSE_DIR or warehouse)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    log = (
        Path(arguments.log)
        if arguments.log
        else extracts_folder(warehouse_folder(arguments.warehouse)) / AUDIT_LOG
    )
    if not log.is_file():
        print(f"error: no audit log at {log}", file=sys.stderr)
        return 1
    now = datetime.now(UTC)
    path = log.parent / f"{REPORT_PREFIX}_{now:%Y%m%dT%H%M%SZ}.md"
    breaks = chain_breaks(log)
    with owner_only_files():
        text = report_markdown(log, breaks, arguments.since, arguments.until, now)
        path.write_text(text, "utf-8")
    owner_only_file(path)
    print(
        f"report written to {path}" + (f"; the log's chain is BROKEN at {breaks}" if breaks else "")
    )
    return 1 if breaks else 0


if __name__ == "__main__":
    sys.exit(main())
