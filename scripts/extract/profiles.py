"""The versioned configuration of the extracts: the profiles (what each purpose may release,
select and in which order) and the requesters' authority (which regions and profiles each
organisation may receive)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.contract import PROJECT_DIR

CONFIG_DIR = PROJECT_DIR / "extracts"
PROFILES_FILE = CONFIG_DIR / "profiles.yml"
REQUESTERS_FILE = CONFIG_DIR / "requesters.yml"
REGION_CRITERION = "region"
DESIL_CRITERION = "desil"


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    purpose: str
    subject: str
    criteria: tuple[str, ...]
    conditions: tuple[str, ...]
    columns: tuple[str, ...]
    order: tuple[str, ...]
    desil_default: tuple[int, int] | None


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    regions: tuple[str, ...]
    profiles: tuple[str, ...]

    def covers(self, region: str) -> bool:
        """True when every area under the region code prefix is within this organisation's
        authority (the prefix starts with one of its region prefixes)."""
        return any(region.startswith(prefix) for prefix in self.regions)


def _yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def profiles(path: Path = PROFILES_FILE) -> dict[str, Profile]:
    """Every extract profile of the configuration, by name."""
    found: dict[str, Profile] = {}
    for name, entry in _yaml(path)["profiles"].items():
        desil_default = entry.get("desil_default")
        found[name] = Profile(
            name=name,
            title=entry["title"],
            purpose=entry["purpose"],
            subject=entry["subject"],
            criteria=tuple(entry.get("criteria", ())),
            conditions=tuple(entry.get("conditions", ())),
            columns=tuple(entry["columns"]),
            order=tuple(entry["order"]),
            desil_default=tuple(desil_default) if desil_default else None,
        )
    return found


def organisations(path: Path = REQUESTERS_FILE) -> dict[str, Organisation]:
    """Every organisation that may receive extracts, by key."""
    return {
        key: Organisation(
            key=key,
            name=entry["name"],
            regions=tuple(str(region) for region in entry["regions"]),
            profiles=tuple(entry["profiles"]),
        )
        for key, entry in _yaml(path)["organisations"].items()
    }
