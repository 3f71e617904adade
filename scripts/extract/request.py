"""An extract request and why it is refused, if it is: the accountability fields are required,
the profile must exist and be granted to the organisation, the region must be within the
organisation's authority, and only the profile's criteria may be used."""

from __future__ import annotations

from dataclasses import dataclass

from .profiles import DESIL_CRITERION, Organisation, Profile
from .query import Criteria

# The fields without which no list is handed over (who, for whom, why, on what basis).
REQUIRED_FIELDS = {
    "requester": "--requester (the name of the person who asked for the list)",
    "organisation": "--organisation (the requesting organisation: extracts/requesters.yml)",
    "purpose": "--purpose (what the list is for)",
    "legal_basis": "--legal-basis (the reference number of the request letter)",
    "region": "--region (a BPS region code prefix)",
}
DESIL_LOWEST = 1
DESIL_HIGHEST = 10


@dataclass(frozen=True)
class Request:
    profile: str
    requester: str | None
    organisation: str | None
    purpose: str | None
    legal_basis: str | None
    region: str | None
    desil_min: int | None = None
    desil_max: int | None = None

    def missing_fields(self) -> list[str]:
        """The required fields this request leaves empty."""
        return [field for field in REQUIRED_FIELDS if not (getattr(self, field) or "").strip()]


def refusal_reason(
    request: Request, profiles: dict[str, Profile], organisations: dict[str, Organisation]
) -> str | None:
    """Why the request is refused (one sentence naming what is missing or not allowed), or
    None when it may be served."""
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
    desil_given = request.desil_min is not None or request.desil_max is not None
    if desil_given and DESIL_CRITERION not in profile.criteria:
        return f"refused: the profile {profile.name} takes no desil criterion"
    if desil_given:
        low, high = desil_range(request, profile)
        if not DESIL_LOWEST <= low <= high <= DESIL_HIGHEST:
            return f"refused: desil range {low}-{high} is not within {DESIL_LOWEST}-{DESIL_HIGHEST}"
    return None


def desil_range(request: Request, profile: Profile) -> tuple[int, int]:
    """The desil range of a request for a profile with a desil criterion: the request's bounds,
    the profile's default for a bound not given."""
    default_low, default_high = profile.desil_default or (DESIL_LOWEST, DESIL_HIGHEST)
    low = request.desil_min if request.desil_min is not None else default_low
    high = request.desil_max if request.desil_max is not None else default_high
    return low, high


def request_criteria(request: Request, profile: Profile) -> Criteria:
    """The criteria of an accepted request."""
    if DESIL_CRITERION not in profile.criteria:
        return Criteria(region=request.region or "")
    low, high = desil_range(request, profile)
    return Criteria(region=request.region or "", desil_min=low, desil_max=high)
