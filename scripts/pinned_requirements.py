"""Print the exact pins of pyproject.toml, one per line, for `pip install -r`."""

import tomllib
from pathlib import Path


def pinned_requirements(pyproject: Path) -> list[str]:
    """Return the project's dependencies, refusing any that is not pinned with ==."""
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    loose = [dep for dep in deps if "==" not in dep]
    if loose:
        raise SystemExit(f"{pyproject}: dependencies must be pinned with ==: {', '.join(loose)}")
    return deps


if __name__ == "__main__":
    print("\n".join(pinned_requirements(Path(__file__).resolve().parent.parent / "pyproject.toml")))
