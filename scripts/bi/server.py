"""Start and stop the local Superset: metadata migrated, roles and admin account set, then
gunicorn on 127.0.0.1 in the background (pid and log in the BI home folder)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from scripts.contract import PROJECT_DIR
from scripts.restricted_files import owner_only_folder

from .credentials import Admin, admin, secret_key
from .settings import BI_BIN, CONFIG_FILE, HOST

STARTUP_TIMEOUT_S = 300
STOP_TIMEOUT_S = 30
POLL_S = 1.0
GUNICORN_THREADS = 4
GUNICORN_TIMEOUT_S = 120
# On stop, the time open requests get to finish (gunicorn's default, 30 s, held every stop).
GUNICORN_GRACEFUL_TIMEOUT_S = 5
PID_FILE = "superset.pid"
LOG_FILE = "superset.log"


@dataclass(frozen=True)
class Server:
    home: Path
    port: int
    admin: Admin

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def superset_environment(home: Path) -> dict[str, str]:
    """The environment of Superset's processes: its configuration, metadata folder, secret
    key and the admin account (read by admin_user)."""
    account = admin()
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
        "FLASK_APP": "superset.app:create_app()",
        "BDT_BI_HOME": str(home),
        "SUPERSET_SECRET_KEY": secret_key(),
        "BDT_BI_ADMIN_USER": account.user,
        "BDT_BI_ADMIN_PASSWORD": account.password,
        "PYTHONPATH": str(PROJECT_DIR),
        "SUPERSET_LOAD_EXAMPLES": "no",
    }


def prepared_metadata(home: Path) -> Path:
    """`home` with Superset's metadata migrated, its roles set and the admin account created
    (or its password reset to the current one)."""
    owner_only_folder(home)
    env = superset_environment(home)
    superset = str(BI_BIN / "superset")
    for command in (
        [superset, "db", "upgrade"],
        [superset, "init"],
        [str(BI_BIN / "python"), "-m", "scripts.bi.admin_user"],
    ):
        done = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[-3:])} failed:\n{done.stderr[-4000:]}")
    return home


def is_healthy(url: str) -> bool:
    """Whether Superset at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def started(home: Path, port: int) -> Server:
    """Superset serving on HOST:`port` with the metadata of `home` (prepared first); returns
    once it answers its health check."""
    server = Server(home, port, admin())
    if running_pid(home) is not None:
        raise RuntimeError(f"a Superset of {home} already runs: make bi-stop first")
    if is_healthy(server.url):
        raise RuntimeError(f"something else answers on {server.url}: choose another BI_PORT")
    prepared_metadata(home)
    command = [
        str(BI_BIN / "gunicorn"),
        "--bind", f"{HOST}:{port}",
        "--workers", "1",
        "--threads", str(GUNICORN_THREADS),
        "--timeout", str(GUNICORN_TIMEOUT_S),
        "--graceful-timeout", str(GUNICORN_GRACEFUL_TIMEOUT_S),
        "--pid", str(home / PID_FILE),
        "superset.app:create_app()",
    ]  # fmt: skip
    with (home / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=superset_environment(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not is_healthy(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            raise RuntimeError(f"Superset did not start: see {home / LOG_FILE}")
        time.sleep(POLL_S)
    return server


def running_pid(home: Path) -> int | None:
    """The pid of the Superset (gunicorn's master) of `home` while it runs, else None."""
    pid_file = home / PID_FILE
    if not pid_file.is_file():
        return None
    pid = int(pid_file.read_text().strip())
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return None
    return pid


def has_exited(pid: int) -> bool:
    """Whether the process group `pid` is gone; the process is reaped when it is a child of
    this one (started() in the same process, as in the tests), else it would linger a zombie."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped:
            return True
    except ChildProcessError:
        pass
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def stopped(home: Path) -> bool:
    """Stop the Superset of `home` (its process group); whether one was running."""
    pid = running_pid(home)
    if pid is None:
        return False
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while not has_exited(pid):
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            break
        time.sleep(POLL_S / 4)
    (home / PID_FILE).unlink(missing_ok=True)
    print(f"stopped Superset (pid {pid})", file=sys.stderr)
    return True
