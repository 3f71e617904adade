"""The selection criteria an extract request may use, and the values each accepts.

A profile names the criteria it accepts (extracts/profiles.yml `criteria`); a request gives
values for some of them on the command line. The accepted values of the coded criteria are the
marts' own (their accepted_values tests in models/marts/), so that a value the marts cannot hold
is refused instead of selecting nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts.contract import PROJECT_DIR

MARTS_DIR = PROJECT_DIR / "models" / "marts"
REGION = "region"
DESIL = "desil"
PRIORITY_GROUP = "priority_group"
PROGRAM = "program"
DELIVERY_STATUS = "delivery_status"
FRESHNESS = "freshness"
NIK_PROBLEM = "nik_problem"
# The programs a household's receipt is known for: dim_household's receives_<program> columns.
PROGRAMS = ("pkh", "kks", "kis_pbi", "kip", "rastra_bpnt")
DESIL_LOWEST = 1
DESIL_HIGHEST = 10


@dataclass(frozen=True)
class Criteria:
    """The criteria of an accepted request (None or empty: not used)."""

    region: str
    desil: tuple[int, int] | None = None
    priority_groups: tuple[int, ...] = ()
    receiving: tuple[str, ...] = ()
    not_receiving: tuple[str, ...] = ()
    delivery_statuses: tuple[str, ...] = ()
    months_since_change_min: int | None = None
    nik_problems: tuple[str, ...] = ()

    def described(self) -> dict[str, Any]:
        """The criteria as logged and printed on the cover sheet (only those used)."""
        described: dict[str, Any] = {REGION: self.region}
        if self.desil is not None:
            described[DESIL] = list(self.desil)
        if self.priority_groups:
            described[PRIORITY_GROUP] = list(self.priority_groups)
        if self.receiving:
            described["receiving"] = list(self.receiving)
        if self.not_receiving:
            described["not_receiving"] = list(self.not_receiving)
        if self.delivery_statuses:
            described[DELIVERY_STATUS] = list(self.delivery_statuses)
        if self.months_since_change_min is not None:
            described["months_since_change_min"] = self.months_since_change_min
        if self.nik_problems:
            described[NIK_PROBLEM] = list(self.nik_problems)
        return described


def mart_accepted_values(model: str, column: str, marts_dir: Path = MARTS_DIR) -> tuple[str, ...]:
    """The values of an accepted_values test of a mart column, from the marts' YAML files."""
    for path in sorted(marts_dir.glob("**/_*__models.yml")):
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle) or {}
        for entry in document.get("models", []):
            if entry["name"] != model:
                continue
            for described in entry.get("columns", []):
                if described["name"] != column:
                    continue
                for test in described.get("data_tests", []):
                    if isinstance(test, dict) and "accepted_values" in test:
                        arguments = test["accepted_values"].get("arguments", {})
                        return tuple(str(value) for value in arguments["values"])
    raise LookupError(f"no accepted_values test on {model}.{column} in {marts_dir}")


def delivery_statuses() -> tuple[str, ...]:
    """A household's status in the current delivery (marts.fct_household_deliveries)."""
    return mart_accepted_values("fct_household_deliveries", "delivery_status")


def nik_problems() -> tuple[str, ...]:
    """Why a member's NIK is not valid (marts.dim_individual.nik_problem)."""
    return mart_accepted_values("dim_individual", "nik_problem")


def priority_groups() -> tuple[str, ...]:
    """The priority groups of marts.dim_household."""
    return mart_accepted_values("dim_household", "priority_group")
