"""`make test`'s check of the Debian packages it needs, and the list `.ci/run` installs.

Each test builds a PATH of its own in a temporary folder, so that which commands exist is known
whatever this machine has installed; the two things found outside the PATH (Debian's
/usr/lib/postgresql/<v>/bin/initdb and /usr/bin/chromedriver) are looked at directly here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.contract import PROJECT_DIR
from scripts.system_packages import require_packages

# The commands on the PATH that tell the packages are installed (chromium-driver is a file).
COMMANDS = ["initdb", "chromium", "java"]


def path_with_commands(folder: Path, commands: list[str]) -> str:
    """A PATH of one folder holding an executable stub for each command."""
    folder.mkdir(parents=True, exist_ok=True)
    for command in commands:
        stub = folder / command
        stub.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        stub.chmod(0o755)
    return str(folder)


def packages_reported(path: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.system_packages", *arguments],
        cwd=PROJECT_DIR,
        env={**os.environ, "PATH": path, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )


def expected_missing(commands_on_path: list[str]) -> list[str]:
    """The packages a machine with only these commands on its PATH lacks, in .ci/run's order."""
    postgres_outside_path = any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    missing = []
    if "initdb" not in commands_on_path and not postgres_outside_path:
        missing.append("postgresql")
    if "chromium" not in commands_on_path:
        missing.append("chromium")
    if not Path("/usr/bin/chromedriver").is_file():
        missing.append("chromium-driver")
    if "java" not in commands_on_path:
        missing.append("openjdk-17-jre-headless")
    return missing


def test_every_package_found_is_left_out_of_the_list(tmp_path: Path) -> None:
    for commands in ([], ["initdb"], ["chromium", "java"], COMMANDS):
        path = path_with_commands(tmp_path / "-".join(commands or ["none"]), commands)
        done = packages_reported(path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == expected_missing(commands), commands


def test_check_fails_naming_each_missing_package_and_the_install_command(tmp_path: Path) -> None:
    path = path_with_commands(tmp_path / "bin", ["initdb"])
    missing = expected_missing(["initdb"])
    assert "chromium" in missing and "openjdk-17-jre-headless" in missing
    done = packages_reported(path, "--check")
    assert done.returncode == 1
    for package in missing:
        assert f"  {package} " in done.stderr
    assert f"apt-get install {' '.join(missing)}" in done.stderr


def test_check_passes_when_nothing_is_missing(tmp_path: Path) -> None:
    path = path_with_commands(tmp_path / "bin", COMMANDS)
    done = packages_reported(path, "--check")
    assert (done.returncode == 0) == (expected_missing(COMMANDS) == [])
    assert (done.stderr == "") == (done.returncode == 0)


def test_an_unknown_argument_is_refused(tmp_path: Path) -> None:
    done = packages_reported(path_with_commands(tmp_path / "bin", []), "--install")
    assert done.returncode == 2
    assert "usage" in done.stderr


def test_require_packages_names_only_the_missing_ones_it_was_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with_commands(tmp_path / "bin", ["initdb"]))
    require_packages(("postgresql",))
    with pytest.raises(FileNotFoundError) as raised:
        require_packages(("postgresql", "chromium", "openjdk-17-jre-headless"))
    message = str(raised.value)
    assert "apt-get install chromium openjdk-17-jre-headless\n" in message
    assert "postgresql" not in message and "chromium-driver" not in message
    with pytest.raises(ValueError):
        require_packages(("chromium-browser",))
