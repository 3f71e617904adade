"""dbt-duckdb plugin: hands the pseudonymisation secret to DuckDB without writing it into SQL.

Keys in the BI-facing marts are HMAC-SHA256 of identifiers (NIK, IDBDT, ...) under a secret
from the environment. The profile passes the secret to this plugin (`DBT_ENV_SECRET_PERSON_KEY`,
which dbt scrubs from its logs); the plugin sets the HMAC inner and outer padded keys as DuckDB
session variables on every connection, and the macro `pseudonym()` computes the HMAC in SQL
with them. The secret never appears in compiled SQL, logs or target/.
"""

from __future__ import annotations

import hashlib
import os
import sys
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

SHA256_BLOCK_BYTES = 64
MIN_SECRET_BYTES = 16


SECRET_VARIABLE = "DBT_ENV_SECRET_PERSON_KEY"
MISSING_SECRET = (
    "no pseudonymisation secret: set BDT_PERSON_KEY (at least 16 characters) or run "
    "`make secret`, which writes a random one to .secrets/person_key"
)


def checked_secret(secret: str) -> str:
    """The secret, refused when shorter than MIN_SECRET_BYTES."""
    if len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        raise ValueError(MISSING_SECRET)
    return secret


def hmac_pads(secret: str) -> tuple[str, str]:
    """The HMAC-SHA256 inner and outer padded keys (hex) of a secret given as text."""
    key = secret.encode("utf-8")
    if len(key) > SHA256_BLOCK_BYTES:
        key = hashlib.sha256(key).digest()
    key = key.ljust(SHA256_BLOCK_BYTES, b"\0")
    inner = bytes(byte ^ 0x36 for byte in key).hex()
    outer = bytes(byte ^ 0x5C for byte in key).hex()
    return inner, outer


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._pads = hmac_pads(checked_secret(str(plugin_config.get("secret") or "")))

    def _set_variables(self, connection: Any) -> None:
        inner, outer = self._pads
        connection.execute("set variable bdt_hmac_ipad = ?", [inner])
        connection.execute("set variable bdt_hmac_opad = ?", [outer])

    def configure_connection(self, conn: Any) -> None:
        self._set_variables(conn)

    def configure_cursor(self, cursor: Any) -> None:
        self._set_variables(cursor)


def pgoptions(secret: str) -> str:
    """PGOPTIONS that give a PostgreSQL session the HMAC pads (macro postgres__pseudonym)."""
    inner, outer = hmac_pads(checked_secret(secret))
    return f"-c bdt.hmac_ipad={inner} -c bdt.hmac_opad={outer}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--pgoptions"]:
        sys.exit("usage: python -m scripts.dbt_plugins.pseudonym_key --pgoptions")
    try:
        print(pgoptions(os.environ.get(SECRET_VARIABLE, "")))
    except ValueError as exc:
        sys.exit(f"error: {exc}")
