"""The append-only audit log of the extracts (JSON lines, owner-only, in the restricted zone):
one entry per request, served or refused: who asked, for which organisation, purpose and legal
basis, when, the profile, the criteria, the row count and each file's sha256, or why it was
refused. It holds no personal data of the listed people (no name, NIK, address or key)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scripts.restricted_files import owner_only_file, owner_only_files, owner_only_folder

AUDIT_LOG = "extracts_audit.jsonl"
HASH_CHUNK = 1 << 20


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


def append_entry(log: Path, entry: AuditEntry) -> None:
    """Append one entry to the log (created owner-only in an owner-only folder if missing);
    entries already there are never rewritten."""
    with owner_only_files():
        owner_only_folder(log.parent)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n")
    owner_only_file(log)


def entries(log: Path) -> list[dict[str, Any]]:
    """Every entry of the log, oldest first (none when there is no log yet)."""
    if not log.is_file():
        return []
    with log.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
