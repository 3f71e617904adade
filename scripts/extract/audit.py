"""The append-only audit log of the extracts (JSON lines, owner-only, in the restricted zone):
one entry per request, served or refused: who asked, for which organisation, purpose and legal
basis, when, the profile, the criteria, the row count and each file's sha256, or why it was
refused. It holds no personal data of the listed people (no name, NIK, address or key).

The log is a hash chain: each entry carries the sha256 of the line before it
(`previous_entry_sha256`; zeros for the first), so that an entry edited or deleted afterwards
breaks the chain at the next line (`chain_breaks`, shown by the report for the data protection
officer). Appends take an exclusive lock on the log, so that two extracts at once keep the chain."""

from __future__ import annotations

import fcntl
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scripts.restricted_files import owner_only_file, owner_only_files, owner_only_folder

AUDIT_LOG = "extracts_audit.jsonl"
HASH_CHUNK = 1 << 20
FIRST_PREVIOUS = "0" * 64
CHAIN_FIELD = "previous_entry_sha256"


@dataclass(frozen=True)
class AuditEntry:
    logged_at: str
    requester: str | None
    organisation: str | None
    purpose: str | None
    legal_basis: str | None
    profile: str
    criteria: dict[str, Any]
    refused: bool
    delivery: str | None = None
    reason: str | None = None
    row_count: int | None = None
    encrypted: bool = False
    files: list[dict[str, str]] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def line_sha256(line: str) -> str:
    """The sha256 of one log line (its text without the line break), hex."""
    return hashlib.sha256(line.rstrip("\n").encode("utf-8")).hexdigest()


def append_entry(log: Path, entry: AuditEntry) -> None:
    """Append one entry to the log (created owner-only in an owner-only folder if missing),
    chained to the last line; entries already there are never rewritten."""
    with owner_only_files():
        owner_only_folder(log.parent)
        with log.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            last = ""
            for line in handle:
                if line.strip():
                    last = line
            previous = line_sha256(last) if last else FIRST_PREVIOUS
            record = {**asdict(entry), CHAIN_FIELD: previous}
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    owner_only_file(log)


def log_lines(log: Path) -> list[str]:
    """The non-empty lines of the log, oldest first (none when there is no log yet)."""
    if not log.is_file():
        return []
    with log.open(encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip()]


def entries(log: Path) -> list[dict[str, Any]]:
    """Every entry of the log, oldest first (none when there is no log yet)."""
    return [json.loads(line) for line in log_lines(log)]


def chain_breaks(log: Path) -> list[int]:
    """The line numbers (1-based) whose recorded previous-entry hash does not match the line
    before them: where the log was edited, cut or had lines removed. Empty when intact."""
    breaks = []
    previous = FIRST_PREVIOUS
    for number, line in enumerate(log_lines(log), start=1):
        try:
            recorded = json.loads(line).get(CHAIN_FIELD)
        except json.JSONDecodeError:
            recorded = None
        if recorded != previous:
            breaks.append(number)
        previous = line_sha256(line)
    return breaks
