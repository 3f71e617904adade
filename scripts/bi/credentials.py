"""The admin account and Superset's secret key: from the environment, else random local ones
kept in .secrets/ (git-ignored, mode 0600). Never a default."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from scripts.restricted_files import owner_only_files, owner_only_folder

from .settings import SECRETS_DIR

DEFAULT_ADMIN_USER = "admin"
ADMIN_PASSWORD_FILE = "superset_admin_password"
SECRET_KEY_FILE = "superset_secret_key"
TOKEN_BYTES = 32


@dataclass(frozen=True)
class Admin:
    user: str
    password: str


def local_secret(name: str, folder: Path = SECRETS_DIR) -> str:
    """The secret kept in `folder`/`name`, created (random, owner-only) when missing."""
    path = folder / name
    if not path.is_file() or not path.read_text().strip():
        owner_only_folder(folder)
        with owner_only_files():
            path.write_text(secrets.token_urlsafe(TOKEN_BYTES) + "\n")
    return path.read_text().strip()


def admin(folder: Path = SECRETS_DIR) -> Admin:
    """BDT_BI_ADMIN_USER (default 'admin') with BDT_BI_ADMIN_PASSWORD, else with the local
    password in `folder`."""
    user = os.environ.get("BDT_BI_ADMIN_USER") or DEFAULT_ADMIN_USER
    password = os.environ.get("BDT_BI_ADMIN_PASSWORD") or local_secret(ADMIN_PASSWORD_FILE, folder)
    return Admin(user, password)


def secret_key(folder: Path = SECRETS_DIR) -> str:
    """BDT_BI_SECRET_KEY, else the local key in `folder` (it signs sessions and encrypts the
    database settings kept in Superset's metadata)."""
    return os.environ.get("BDT_BI_SECRET_KEY") or local_secret(SECRET_KEY_FILE, folder)
