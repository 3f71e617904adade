"""Print the exact pins of pyproject.toml, one per line, for `pip install -r`: the dependencies
(`make setup`), or with the argument `spark` the optional group spark (`make setup-spark`)."""

import sys
import tomllib
from pathlib import Path


def pinned_requirements(pyproject: Path, extra: str | None = None) -> list[str]:
    """Return the project's dependencies, or those of the optional group `extra`, refusing any
    that is not pinned with ==."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    deps = project["optional-dependencies"][extra] if extra else project["dependencies"]
    loose = [dep for dep in deps if "==" not in dep]
    if loose:
        raise SystemExit(f"{pyproject}: dependencies must be pinned with ==: {', '.join(loose)}")
    return deps


if __name__ == "__main__":
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    print("\n".join(pinned_requirements(pyproject, *sys.argv[1:2])))
