"""The Debian packages that `make test` needs beside Python's, and which of them this machine lacks.

`python3 -m scripts.system_packages` prints the names of the missing packages on one line (an
empty line when none is missing): `.ci/run` installs those. With `--check` it instead exits with
status 1 and a message naming each missing package, what needs it and the command that installs
it: `make test` runs that first, so that a machine without them stops in a second rather than at
the first test that needs one, half an hour later. Standard library only: it runs before `.venv`
exists.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Where Debian's chromium-driver puts the driver; the screenshot starts it from here.
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Debian's postgresql puts its server binaries here, one folder per major version, off the PATH.
POSTGRES_LIB_DIR = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class SystemPackage:
    """A Debian package, what in the tests needs it, and how to tell it is installed."""

    name: str
    needed_by: str
    is_installed: Callable[[], bool]


def postgres_initdb() -> Path | None:
    """PostgreSQL's initdb: on the PATH, else the newest /usr/lib/postgresql/<v>/bin/initdb."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve()
    versions = sorted(POSTGRES_LIB_DIR.glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    return versions[-1] if versions else None


def required_packages() -> tuple[SystemPackage, ...]:
    """Every Debian package that `make test` needs, in the order `.ci/run` installs them."""
    return (
        SystemPackage(
            "postgresql",
            "the PostgreSQL target's tests (a throwaway server)",
            lambda: postgres_initdb() is not None,
        ),
        SystemPackage(
            "chromium",
            "the Superset dashboard's screenshot",
            lambda: shutil.which("chromium") is not None,
        ),
        SystemPackage(
            "chromium-driver",
            "the Superset dashboard's screenshot",
            CHROMEDRIVER.is_file,
        ),
        SystemPackage(
            "openjdk-17-jre-headless",
            "the Spark target's parity test (Java 17)",
            lambda: shutil.which("java") is not None,
        ),
    )


def missing_packages() -> list[SystemPackage]:
    """The required packages that this machine does not have."""
    return [package for package in required_packages() if not package.is_installed()]


def missing_packages_message(missing: list[SystemPackage]) -> str:
    """What a user reads when packages are missing: each one, what needs it, how to install."""
    lines = ["Debian packages that this machine does not have:"]
    lines += [f"  {package.name:<24} for {package.needed_by}" for package in missing]
    names = " ".join(package.name for package in missing)
    lines.append(f"install them (as root): apt-get install {names}")
    lines.append("(`.ci/run` installs them itself before it runs `make test`)")
    return "\n".join(lines)


def require_packages(names: tuple[str, ...]) -> None:
    """Raise FileNotFoundError with the message above if any of the named packages is missing."""
    known = {package.name for package in required_packages()}
    if not set(names) <= known:
        raise ValueError(f"not a package of required_packages(): {sorted(set(names) - known)}")
    missing = [package for package in missing_packages() if package.name in names]
    if missing:
        raise FileNotFoundError(missing_packages_message(missing))


def main(argv: list[str]) -> int:
    missing = missing_packages()
    if argv == ["--check"]:
        if missing:
            print(missing_packages_message(missing), file=sys.stderr)
            return 1
        return 0
    if argv:
        print("usage: python3 -m scripts.system_packages [--check]", file=sys.stderr)
        return 2
    print(" ".join(package.name for package in missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
