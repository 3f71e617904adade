"""dbt-duckdb plugin: hands the pseudonymisation secret to DuckDB without writing it into SQL.

Keys in the BI-facing marts are HMAC-SHA256 of identifiers (NIK, IDBDT, ...) under a secret:
`BDT_PERSON_KEY` from the environment when set, else the git-ignored file `.secrets/person_key`
of the project folder (`make secret` writes a random one), however dbt is started (`make`, or
`dbt` from an activated .venv in the project folder). The plugin reads it itself, so it is in
no profile, log or target/ file. It sets the HMAC inner and outer padded keys as DuckDB session
variables on every connection, and the macro `pseudonym()` computes the HMAC in SQL with them.
On PostgreSQL the pads reach the server through PGOPTIONS (`python -m
scripts.dbt_plugins.pseudonym_key --pgoptions`), on Spark through the environment variables
of `--spark-env`, which profiles.yml turns into Spark settings.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

SHA256_BLOCK_BYTES = 64
MIN_SECRET_BYTES = 16
SECRET_VARIABLE = "BDT_PERSON_KEY"
# Relative to the working directory: the project folder, where dbt and make run.
SECRET_FILE = Path(".secrets") / "person_key"


class MissingSecret(DbtRuntimeError):
    """No usable pseudonymisation secret (a RuntimeError: dbt-duckdb reports it in one line)."""


def person_key() -> str:
    """The pseudonymisation secret: BDT_PERSON_KEY when set, else .secrets/person_key; raises
    MissingSecret, saying what to do, when neither gives 16 bytes or more."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    origin = SECRET_VARIABLE
    if not secret and SECRET_FILE.is_file():
        secret = SECRET_FILE.read_text(encoding="utf-8").strip()
        origin = str(SECRET_FILE.resolve())
    if not secret:
        raise MissingSecret(
            f"no pseudonymisation secret: set {SECRET_VARIABLE} (16 characters or more), or run "
            f"`make secret` to write a random one to {SECRET_FILE.resolve()}"
        )
    if len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        raise MissingSecret(
            f"the pseudonymisation secret in {origin} is shorter than {MIN_SECRET_BYTES} "
            "characters; use a longer one"
        )
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
        self._pads = hmac_pads(person_key())

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
    inner, outer = hmac_pads(secret)
    return f"-c bdt.hmac_ipad={inner} -c bdt.hmac_opad={outer}"


# dbt keeps DBT_ENV_SECRET_* values out of its logs; profiles.yml (target spark) reads these.
SPARK_PAD_VARIABLES = ("DBT_ENV_SECRET_BDT_HMAC_IPAD", "DBT_ENV_SECRET_BDT_HMAC_OPAD")


def spark_environment(secret: str) -> dict[str, str]:
    """The environment variables that give a Spark session the HMAC pads (profiles.yml, target
    spark: settings spark.bdt.secret.hmac_ipad / _opad; macro spark__pseudonym)."""
    return dict(zip(SPARK_PAD_VARIABLES, hmac_pads(secret), strict=True))


def _printed_settings(option: str, secret: str) -> str:
    if option == "--pgoptions":
        return pgoptions(secret)
    return "\n".join(f"export {name}={value}" for name, value in spark_environment(secret).items())


if __name__ == "__main__":
    if sys.argv[1:] not in (["--pgoptions"], ["--spark-env"]):
        sys.exit("usage: python -m scripts.dbt_plugins.pseudonym_key --pgoptions | --spark-env")
    try:
        print(_printed_settings(sys.argv[1], person_key()))
    except MissingSecret as exc:
        sys.exit(f"error: {exc}")
