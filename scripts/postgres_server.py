"""A throwaway PostgreSQL server on loopback, for the tests and the benchmark.

`throwaway_postgres()` runs initdb in a temporary folder, starts the server on 127.0.0.1 at a free
port (socket in the same folder, trust authentication on loopback only), creates the database
`bdt` owned by the superuser `bdt_owner` and the login role `bdt_bi` for BI tools, and stops and
removes everything on exit. As root it runs the server as the `postgres` system user, since
PostgreSQL refuses to run as root. The binaries come from the Debian package `postgresql`
(`.ci/run` installs it when missing).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.system_packages import postgres_initdb

OWNER = "bdt_owner"
BI_ROLE = "bdt_bi"
DATABASE = "bdt"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    database: str
    owner: str
    bi_role: str

    def dsn(self, user: str | None = None) -> str:
        return f"host={self.host} port={self.port} dbname={self.database} user={user or self.owner}"

    def environment(self) -> dict[str, str]:
        """The variables of the `postgres` dbt target (profiles.yml) for this server."""
        return {
            "BDT_PG_HOST": self.host,
            "BDT_PG_PORT": str(self.port),
            "BDT_PG_USER": self.owner,
            "BDT_PG_DATABASE": self.database,
            "BDT_BI_ROLE": self.bi_role,
        }


def postgres_bin_dir() -> Path:
    """The folder of initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/<v>/bin."""
    initdb = postgres_initdb()
    if initdb is None:
        raise FileNotFoundError(
            "no PostgreSQL server binaries (initdb): install the Debian package `postgresql`"
        )
    return initdb.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """Run as the `postgres` system user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def throwaway_postgres(settings: dict[str, str] | None = None) -> Iterator[PostgresServer]:
    """Start a fresh server (extra postgresql.conf `settings` allowed); stop and delete it after."""
    bin_dir = postgres_bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="bdt-postgres-"))
    data_dir = folder / "data"
    if os.geteuid() == 0:
        server_user = pwd.getpwnam("postgres")
        os.chown(folder, server_user.pw_uid, server_user.pw_gid)
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            _as_server_user(
                [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", OWNER, "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            **run,
        )  # fmt: skip
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{folder}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            **(settings or {}),
        }
        with (data_dir / "postgresql.conf").open("a", encoding="utf-8") as handle:
            handle.writelines(f"{key} = {value}\n" for key, value in conf.items())
        subprocess.run(
            _as_server_user(
                [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(folder / "server.log"),
                 "-w", "-t", "60", "start"]
            ),
            **run,
        )  # fmt: skip
        server = PostgresServer("127.0.0.1", port, DATABASE, OWNER, BI_ROLE)
        psql = [shutil.which("psql") or str(bin_dir / "psql"), "-h", server.host, "-p", str(port),
                "-U", OWNER, "-v", "ON_ERROR_STOP=1", "-q"]  # fmt: skip
        subprocess.run([*psql, "-d", "postgres", "-c", f"create database {DATABASE}"], **run)
        subprocess.run([*psql, "-d", DATABASE, "-c", f"create role {BI_ROLE} login"], **run)
        yield server
    finally:
        if (data_dir / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast",
                                 "-w", "stop"]),
                capture_output=True, check=False,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
