"""The kinds of change between two deliveries, as listed in each delivery's
manifest_changes.csv and counted in its manifest.json (their rates: ChangeParameters in
demography.py)."""

from __future__ import annotations

BIRTH = "birth"
DEATH = "death"
MEMBER_MOVED = "member_moved"
HOUSEHOLD_SPLIT = "household_split"
SPLIT_MEMBER = "split_member"
EXIT_MOVED_AWAY = "exit_moved_away"
EXIT_DECEASED = "exit_deceased"
EXIT_GRADUATED = "exit_graduated"
ENTRY_FKP_ADDITION = "entry_fkp_addition"
ENTRY_NEW_REGISTRATION = "entry_new_registration"
REREGISTRATION = "reregistration"
DESIL_CHANGE = "desil_change"
NIK_CORRECTED = "nik_corrected"
CHANGE_KINDS = (
    BIRTH,
    DEATH,
    MEMBER_MOVED,
    HOUSEHOLD_SPLIT,
    SPLIT_MEMBER,
    EXIT_MOVED_AWAY,
    EXIT_DECEASED,
    EXIT_GRADUATED,
    ENTRY_FKP_ADDITION,
    ENTRY_NEW_REGISTRATION,
    REREGISTRATION,
    DESIL_CHANGE,
    NIK_CORRECTED,
)
EXIT_KINDS = (EXIT_MOVED_AWAY, EXIT_DECEASED, EXIT_GRADUATED)
ENTRY_KINDS = (ENTRY_FKP_ADDITION, ENTRY_NEW_REGISTRATION)
CHANGE_DESCRIPTIONS = {
    BIRTH: "A child (aged 0-1 at the PBDT 2015 reference date) first listed as a member "
    "(Umur: the age on the delivery's date).",
    DEATH: "A member who died: listed in the household before, gone after.",
    MEMBER_MOVED: "A member who moved from one household of the registry to another.",
    HOUSEHOLD_SPLIT: "A new household (child) formed by members who left a household (parent).",
    SPLIT_MEMBER: "A member of a split household: in the parent before, in the child after.",
    EXIT_MOVED_AWAY: "A household that left the registry: moved away.",
    EXIT_DECEASED: "A household that left the registry: its only member died.",
    EXIT_GRADUATED: "A household that left the registry: graduated (no longer poor enough).",
    ENTRY_FKP_ADDITION: "A household added through a forum (FKP / musyawarah desa).",
    ENTRY_NEW_REGISTRATION: "A household that registered itself (new application).",
    REREGISTRATION: "The same household and members under a new IDBDT (old -> new).",
    DESIL_CHANGE: "A household re-ranked into another desil band (percentile before/after).",
    NIK_CORRECTED: "A malformed NIK (detail: the defect kind) corrected in this delivery.",
}
CHANGE_COLUMNS = (
    "kind",
    "idbdt_before",
    "idbdt_after",
    "idartbdt_before",
    "idartbdt_after",
    "desil_before",
    "desil_after",
    "percentile_before",
    "percentile_after",
    "detail",
)
