"""An extract request and why it is refused, if it is: the accountability fields are required,
the profile must exist and be granted to the organisation, the region must be within the
organisation's authority, and only the profile's criteria may be used, with values the marts
can hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import criteria as known
from .criteria import Criteria
from .profiles import Organisation, Profile

# The fields without which no list is handed over (who, for whom, why, on what basis).
REQUIRED_FIELDS = {
    "requester": "--requester (the name of the person who asked for the list)",
    "organisation": "--organisation (the requesting organisation: extracts/requesters.yml)",
    "purpose": "--purpose (what the list is for)",
    "legal_basis": "--legal-basis (the reference number of the request letter)",
    "region": "--region (a BPS region code prefix)",
}
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Request:
    """A request as given on the command line (lists as comma-separated text)."""

    profile: str
    requester: str | None
    organisation: str | None
    purpose: str | None
    legal_basis: str | None
    region: str | None
    desil_min: int | None = None
    desil_max: int | None = None
    priority_group: str | None = None
    receiving: str | None = None
    not_receiving: str | None = None
    delivery_status: str | None = None
    months_since_change_min: int | None = None
    nik_problem: str | None = None

    def missing_fields(self) -> list[str]:
        """The required fields this request leaves empty."""
        return [field for field in REQUIRED_FIELDS if not (getattr(self, field) or "").strip()]

    def asked(self) -> dict[str, object]:
        """The criteria as asked (every criterion option given, as given), for the log of a
        refusal."""
        options = (
            "region", "desil_min", "desil_max", "priority_group", "receiving", "not_receiving",
            "delivery_status", "months_since_change_min", "nik_problem",
        )  # fmt: skip
        return {name: getattr(self, name) for name in options if getattr(self, name) is not None}

    def criteria_given(self) -> list[str]:
        """The criteria (besides the region) this request gives values for."""
        given = {
            known.DESIL: self.desil_min is not None or self.desil_max is not None,
            known.PRIORITY_GROUP: self.priority_group is not None,
            known.PROGRAM: self.receiving is not None or self.not_receiving is not None,
            known.DELIVERY_STATUS: self.delivery_status is not None,
            known.FRESHNESS: self.months_since_change_min is not None,
            known.NIK_PROBLEM: self.nik_problem is not None,
        }
        return [name for name, is_given in given.items() if is_given]


def listed(text: str | None) -> tuple[str, ...]:
    """The values of a comma-separated option, lower case, in the order given, no repeats."""
    values = (value.strip().lower() for value in (text or "").split(LIST_SEPARATOR))
    return tuple(dict.fromkeys(value for value in values if value))


def unknown_values(text: str | None, accepted: tuple[str, ...], option: str) -> str | None:
    """Why the values of a list option are refused (empty, or not all accepted), or None."""
    values = listed(text)
    if not values:
        return f"refused: {option} needs at least one value (one of {', '.join(accepted)})"
    unknown = [value for value in values if value not in accepted]
    if unknown:
        return f"refused: {option} {', '.join(unknown)} is not one of {', '.join(accepted)}"
    return None


def accountability_reason(
    request: Request, profiles: dict[str, Profile], organisations: dict[str, Organisation]
) -> str | None:
    """Why the request is refused before its criteria are read: a missing field, an unknown
    profile or organisation, a profile not granted, a region outside the authority."""
    missing = request.missing_fields()
    if missing:
        return "refused: missing " + "; ".join(REQUIRED_FIELDS[field] for field in missing)
    profile = profiles.get(request.profile)
    if profile is None:
        return (
            f"refused: unknown profile {request.profile!r} (known: {', '.join(sorted(profiles))})"
        )
    organisation = organisations.get(request.organisation or "")
    if organisation is None:
        return (
            f"refused: organisation {request.organisation!r} is not authorised to receive "
            "by-name lists (extracts/requesters.yml)"
        )
    if profile.name not in organisation.profiles:
        return f"refused: {organisation.name} may not receive the profile {profile.name}"
    region = request.region or ""
    if not region.isdigit():
        return f"refused: region {region!r} is not a BPS code prefix (digits only)"
    if not organisation.covers(region):
        return (
            f"refused: region {region} is outside the authority of {organisation.name} "
            f"(regions {', '.join(organisation.regions)})"
        )
    return None


def criteria_reason(request: Request, profile: Profile) -> str | None:
    """Why the request's criteria are refused (a criterion the profile does not take, or a
    value the marts cannot hold), or None."""
    not_taken = [name for name in request.criteria_given() if name not in profile.criteria]
    if not_taken:
        return (
            f"refused: the profile {profile.name} takes no {', '.join(not_taken)} criterion "
            f"(it takes {', '.join(profile.criteria)})"
        )
    low, high = desil_range(request, profile)
    if not known.DESIL_LOWEST <= low <= high <= known.DESIL_HIGHEST:
        return (
            f"refused: desil range {low}-{high} is not within "
            f"{known.DESIL_LOWEST}-{known.DESIL_HIGHEST}"
        )
    checks: list[tuple[str | None, Callable[[], tuple[str, ...]], str]] = [
        (request.priority_group, known.priority_groups, "--priority-group"),
        (request.receiving, lambda: known.PROGRAMS, "--receiving"),
        (request.not_receiving, lambda: known.PROGRAMS, "--not-receiving"),
        (request.delivery_status, known.delivery_statuses, "--delivery-status"),
        (request.nik_problem, known.nik_problems, "--nik-problem"),
    ]
    for text, accepted, option in checks:
        if text is not None and (reason := unknown_values(text, accepted(), option)):
            return reason
    both = set(listed(request.receiving)) & set(listed(request.not_receiving))
    if both:
        return f"refused: {', '.join(sorted(both))} both in --receiving and --not-receiving"
    months = request.months_since_change_min
    if months is not None and months < 0:
        return f"refused: --months-since-change-min {months} is negative"
    return None


def refusal_reason(
    request: Request, profiles: dict[str, Profile], organisations: dict[str, Organisation]
) -> str | None:
    """Why the request is refused (one sentence naming what is missing or not allowed), or
    None when it may be served."""
    return accountability_reason(request, profiles, organisations) or criteria_reason(
        request, profiles[request.profile]
    )


def desil_range(request: Request, profile: Profile) -> tuple[int, int]:
    """The desil range of a request: the request's bounds, the profile's default for a bound
    not given (the whole range when the profile has no default)."""
    default_low, default_high = profile.desil_default or (known.DESIL_LOWEST, known.DESIL_HIGHEST)
    low = request.desil_min if request.desil_min is not None else default_low
    high = request.desil_max if request.desil_max is not None else default_high
    return low, high


def request_criteria(request: Request, profile: Profile) -> Criteria:
    """The criteria of an accepted request."""
    takes_desil = known.DESIL in profile.criteria
    uses_desil = takes_desil and (
        profile.desil_default is not None or known.DESIL in request.criteria_given()
    )
    return Criteria(
        region=request.region or "",
        desil=desil_range(request, profile) if uses_desil else None,
        priority_groups=tuple(int(group) for group in listed(request.priority_group)),
        receiving=listed(request.receiving),
        not_receiving=listed(request.not_receiving),
        delivery_statuses=listed(request.delivery_status),
        months_since_change_min=request.months_since_change_min,
        nik_problems=listed(request.nik_problem),
    )
