"""Named parameters of who lives in a household (the roster) and of their schooling, each with
where its figure comes from.

A figure marked "modelling choice" was set so that the generated BDT looks like the BDT of a
poor town (what is checked: tests/python/test_generate.py); it is no published statistic. The
poverty score z runs from 0 (least poor of the BDT) to 1 (poorest); see households.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PovertyGradient:
    """A probability (or mean) for the least poor, and how much it changes for the poorest,
    linearly in the poverty score z."""

    least_poor: float
    change_for_poorest: float = 0.0

    def at(self, z: np.ndarray) -> np.ndarray:
        return self.least_poor + self.change_for_poorest * z


@dataclass(frozen=True)
class AgeBand:
    """A rate for the ages from the previous band's `up_to_age` + 1 to `up_to_age`."""

    up_to_age: int
    rate: PovertyGradient


def rate_by_age(
    bands: tuple[AgeBand, ...], older: PovertyGradient, age: np.ndarray, z: np.ndarray
) -> np.ndarray:
    """Per member, the rate of the first band holding the member's (whole-year) age, `older`
    above the last band."""
    return np.select(
        [age <= band.up_to_age for band in bands], [band.rate.at(z) for band in bands], older.at(z)
    )


@dataclass(frozen=True)
class AgeRange:
    """Whole years, both ends included."""

    low: int
    high: int

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.integers(self.low, self.high + 1, size=size)


@dataclass(frozen=True)
class Normal:
    """A normal distribution (years)."""

    mean: float
    sd: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.normal(self.mean, self.sd, size=size)


@dataclass(frozen=True)
class RosterParameters:
    """Heads, spouses and the ages and sexes of the other members."""

    # Female heads: about 18% of BDT households. BPS (Susenas) counts about 15% of Indonesian
    # households headed by a woman, more among the poor and among people living alone; the
    # split below (by poverty and household size) is a modelling choice.
    female_head: PovertyGradient = PovertyGradient(0.07, 0.17)
    female_head_extra_if_alone: float = 0.30
    female_head_extra_if_two: float = 0.08
    # Heads' ages: women heads are mostly widows, hence older; poorer male heads slightly older;
    # people living alone older still. Modelling choice.
    female_head_age: Normal = Normal(57, 13)
    male_head_age: Normal = Normal(46, 12.5)
    male_head_age_change_for_poorest: float = 4
    head_age_extra_if_alone: float = 10
    head_ages: AgeRange = AgeRange(19, 95)
    # A spouse lives with a female head rarely (she heads the household because he is gone),
    # with a male head mostly, less often as he ages (widowhood). Modelling choice.
    spouse_of_female_head: float = 0.06
    spouse_of_male_head_under_60: float = 0.95
    spouse_of_male_head_60_to_69: float = 0.86
    spouse_of_male_head_70_and_over: float = 0.70
    # Husbands are usually a few years older than their wives; the mean gap of five years and
    # its spread are a modelling choice.
    couple_age_gap: Normal = Normal(5, 4)
    spouse_ages: AgeRange = AgeRange(16, 98)
    wife_at_most_older_than_husband: int = 10
    # A lone father's children are dated from an assumed mother this much younger (modelling).
    lone_father_minus_mother_age: int = 5
    # Children are born to mothers of these ages: most births in Indonesia are to women 20-39
    # (BPS/SDKI age-specific fertility, measured 15-49); the range is a modelling choice.
    childbearing_ages: AgeRange = AgeRange(17, 44)
    # Grandchildren: under 16, and only in households whose head is at least 38 (two
    # generations of childbearing). Modelling choice.
    grandchild_max_age: int = 15
    grandparent_min_age: int = 38
    # The head's parents are 19-35 years older than the head (childbearing ages above, give or
    # take). Modelling choice.
    parent_minus_head_age: AgeRange = AgeRange(19, 35)
    max_age: int = 99
    other_member_ages: AgeRange = AgeRange(3, 75)
    # A child-in-law needs a child of at least this age to be married to; otherwise the member
    # is another relative, aged as below. Modelling choice (marriage age: UU 1/1974, 16 for
    # women and 19 for men until 2019).
    adult_age: int = 18
    lone_in_law_ages: AgeRange = AgeRange(18, 59)
    # A child-in-law's age: the married child's, about a year older on average. Modelling choice.
    in_law_age_gap: Normal = Normal(1, 4)
    min_partner_age: int = 17
    # Members other than head, spouse and parents: slightly fewer women, so that the whole
    # population has about as many men as women (BPS SP2010: 101 men per 100 women), the
    # heads being mostly men and their spouses women. Modelling choice.
    female_share_of_other_members: float = 0.475
    # Parents living with their child are mostly widowed mothers: women live about four years
    # longer (BPS life expectancy at birth). Modelling choice.
    female_share_of_parents: float = 0.72


@dataclass(frozen=True)
class SchoolingParameters:
    """School participation (Partisipasi_sekolah) and attainment by age and poverty."""

    # Still in school, by age: BPS school participation rates (APS, Susenas, age groups 7-12,
    # 13-15, 16-18, 19-24: nearly all at 7-12, about 95% at 13-15, about 70% at 16-18, about
    # 20% above) for the least poor; how much lower for the poorest is a modelling choice
    # (lower participation of the poorest quintile in BPS tables). Some children start SD at 6,
    # few at 5.
    enrolment_by_age: tuple[AgeBand, ...] = (
        AgeBand(4, PovertyGradient(0.0)),
        AgeBand(5, PovertyGradient(0.05)),
        AgeBand(6, PovertyGradient(0.45)),
        AgeBand(12, PovertyGradient(0.99, -0.04)),
        AgeBand(15, PovertyGradient(0.95, -0.13)),
        AgeBand(18, PovertyGradient(0.80, -0.30)),
        AgeBand(22, PovertyGradient(0.22, -0.15)),
        AgeBand(29, PovertyGradient(0.03)),
    )
    enrolment_older: PovertyGradient = PovertyGradient(0.0)
    # Never attended school, among those not in school: every child under 7 not in school; a
    # few young people; more among the old and the poor (BPS: most adults who never attended
    # are old, and women). Shares are a modelling choice.
    never_attended_by_age: tuple[AgeBand, ...] = (
        AgeBand(6, PovertyGradient(1.0)),
        AgeBand(17, PovertyGradient(0.02, 0.02)),
        AgeBand(39, PovertyGradient(0.02, 0.04)),
        AgeBand(59, PovertyGradient(0.05, 0.10)),
    )
    never_attended_older: PovertyGradient = PovertyGradient(0.18, 0.22)
    # Madrasah (MI/MTs/MA, Ministry of Religious Affairs) instead of SD/SMP/SMA: madrasah pupils
    # are of the order of one in eight nationally (Kemenag and Kemendikbud school statistics);
    # the exact share is a modelling choice.
    madrasah_share: float = 0.12
    # Pupils past 18 still in senior secondary (SMA) rather than higher education: modelling.
    over_age_senior_secondary_share: float = 0.3
    # Out of school, the stage reached (see STAGES in individuals.py), by weight, for the least
    # poor and the poorest: people aged `older_generation_age` or more went to school when
    # schooling was shorter (BPS attainment tables). Modelling choice.
    older_generation_age: int = 40
    stages_younger_least_poor: dict[int, float] = field(
        default_factory=lambda: {0: 4, 1: 12, 2: 5, 3: 22, 4: 6, 5: 43, 6: 8}
    )
    stages_younger_poorest: dict[int, float] = field(
        default_factory=lambda: {0: 14, 1: 30, 2: 9, 3: 22, 4: 5, 5: 19, 6: 1}
    )
    stages_older_least_poor: dict[int, float] = field(
        default_factory=lambda: {0: 12, 1: 30, 2: 6, 3: 18, 4: 4, 5: 25, 6: 5}
    )
    stages_older_poorest: dict[int, float] = field(
        default_factory=lambda: {0: 32, 1: 38, 2: 6, 3: 12, 4: 3, 5: 9, 6: 0.2}
    )
    # Higher education graduates: D1-D3 diplomas for half, else D4/S1 for nearly all, S2/S3 for
    # the rest. Modelling choice.
    diploma_share_of_graduates: float = 0.5
    bachelor_share_of_other_graduates: float = 0.97
    # Who left after completing a level and holds a Paket A/B/C equivalency instead: modelling.
    equivalency_share: float = 0.02


@dataclass(frozen=True)
class ChangeParameters:
    """What happens to the registry's households and members between deliveries.

    Rates are per year (per person or household of the last delivery); a run with deliveries
    every M months applies rate x M / 12 at each step, rounded on the running total over the
    chunks (as the defect rates are), with at least one change of each kind at each step when
    the rate is above 0."""

    # Births: BPS crude birth rate about 17 per 1,000 people a year (Proyeksi Penduduk
    # Indonesia 2015-2045, hasil SUPAS 2015: 17-18 for 2015-2020). Poorer households have more
    # births (BPS/SDKI total fertility falls with wealth); the gradient is a modelling choice.
    births_per_person_year: float = 0.017
    birth_weight: PovertyGradient = PovertyGradient(1.0, 0.6)
    # Newborns are the registry's children of at most this age at the PBDT 2015 reference date
    # (their birth dates are the single-delivery dataset's), first listed in a later delivery;
    # their Umur there is their age on that delivery's date.
    newborn_max_age: int = 1
    # Deaths: BPS crude death rate about 6.5 per 1,000 a year (same projection: 6.4-6.9);
    # higher among the poor (modelling choice). Within a household, who dies follows relative
    # mortality by age (shape of the Indonesian life tables; the figures are a modelling choice).
    deaths_per_person_year: float = 0.0065
    death_weight: PovertyGradient = PovertyGradient(1.0, 0.6)
    mortality_by_age: tuple[AgeBand, ...] = (
        AgeBand(0, PovertyGradient(20.0)),
        AgeBand(14, PovertyGradient(0.5)),
        AgeBand(44, PovertyGradient(1.5)),
        AgeBand(59, PovertyGradient(7.0)),
        AgeBand(69, PovertyGradient(20.0)),
    )
    mortality_older: PovertyGradient = PovertyGradient(60.0)
    # Members moving to another household of the registry (marriage, work, care), aged 15+:
    # modelling choice (BPS recent-migration rates are of the order of 1-2% a year).
    member_moves_per_person_year: float = 0.01
    mover_min_age: int = 15
    # Households splitting: a young household (head at most 35, at most 4 members) formed out of
    # another of the same desa. Modelling choice.
    splits_per_household_year: float = 0.01
    split_child_max_size: int = 4
    split_head_max_age: int = 35
    # The split household's members were the parent head's children, children-in-law and
    # grandchildren when its head is at least this much younger than the parent's head (the
    # youngest childbearing age of RosterParameters), else other relatives.
    split_generation_gap: int = 17
    # Households leaving: moved away, deceased (a lone old member died), graduated (re-ranked
    # out; the least poor more often). DTKS verval removes a few percent a year; the split by
    # reason is a modelling choice.
    exits_moved_away_per_household_year: float = 0.015
    exits_deceased_per_household_year: float = 0.004
    exits_graduated_per_household_year: float = 0.01
    graduation_min_percentile: int = 21
    graduation_weight: PovertyGradient = PovertyGradient(1.0, -0.9)
    # Households joining: FKP / musyawarah desa proposals and self-registration (DTKS "usulan
    # baru"; since 2021 also through the Cek Bansos application). Modelling choice; the poorer
    # are more often proposed.
    entries_fkp_addition_per_household_year: float = 0.01
    entries_new_registration_per_household_year: float = 0.02
    entry_weight: PovertyGradient = PovertyGradient(1.0, 1.0)
    # The same household registered again under a new IDBDT: modelling choice.
    reregistrations_per_household_year: float = 0.005
    # Desil re-ranking: PMT updates move households between desil, mostly by one step
    # (one band = 10 percentiles). Modelling choice.
    desil_changes_per_household_year: float = 0.15
    desil_one_step_share: float = 0.85
    # Malformed NIKs (15 digits, a letter) corrected at a later verification: modelling choice.
    nik_corrections_per_person_year: float = 0.001
    # Households generated per exit to choose the leaving households from (by size, age of the
    # head, percentile).
    exit_pool_factor: int = 3
