"""The encrypted extract (--encrypt): the workbook encrypted with a passphrase in Excel's own
ECMA-376 Agile encryption (AES-256, SHA-512, 100,000 spins: msoffcrypto-tool), so that Excel and
LibreOffice open it after asking for the passphrase. The passphrase comes from the environment
only (PASSPHRASE_VARIABLE), never from the command line, and is never logged or printed. The
plaintext workbook is built in memory and encrypted there: it never touches the disk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from msoffcrypto.format.ooxml import OOXMLFile

from .workbook import Cover, workbook_bytes, written_owner_only

PASSPHRASE_VARIABLE = "BDT_EXTRACT_PASSPHRASE"
PASSPHRASE_MIN_LENGTH = 12


def passphrase_refusal_reason(encrypt: bool, environment: Mapping[str, str]) -> str | None:
    """Why an --encrypt request is refused (no passphrase in the environment, or one shorter
    than PASSPHRASE_MIN_LENGTH), or None; the message never holds the passphrase."""
    if not encrypt:
        return None
    passphrase = environment.get(PASSPHRASE_VARIABLE, "")
    if not passphrase:
        return (
            f"refused: --encrypt needs the passphrase in the environment variable "
            f"{PASSPHRASE_VARIABLE} (at least {PASSPHRASE_MIN_LENGTH} characters; never on "
            "the command line)"
        )
    if len(passphrase) < PASSPHRASE_MIN_LENGTH:
        return (
            f"refused: the passphrase in {PASSPHRASE_VARIABLE} is shorter than "
            f"{PASSPHRASE_MIN_LENGTH} characters"
        )
    return None


def encrypted_workbook_bytes(plain: bytes, passphrase: str) -> bytes:
    """The .xlsx bytes `plain` encrypted with `passphrase` (ECMA-376 Agile), in memory."""
    encrypted = BytesIO()
    OOXMLFile(BytesIO(plain)).encrypt(passphrase, encrypted)
    return encrypted.getvalue()


def write_encrypted_workbook(
    path: Path,
    cover: Cover,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    passphrase: str,
) -> Path:
    """The workbook (cover sheet, then the list) encrypted with `passphrase`, written
    owner-only; only the encrypted bytes reach the disk."""
    return written_owner_only(
        path, encrypted_workbook_bytes(workbook_bytes(cover, columns, rows), passphrase)
    )
