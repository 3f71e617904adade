"""Members of one chunk's households: roster, demography, documents, health, school and work.

Members are ordered as on the form: head, spouse, children (oldest first), children-in-law,
grandchildren, parents, others. A household with a child-in-law holds a second family (NUK 2):
the oldest child, the child's spouse and the grandchildren."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from scripts.generate.config import REFERENCE_DATE, Profile
from scripts.generate.demography import RosterParameters, SchoolingParameters, rate_by_age
from scripts.generate.households import BLANK, Households, yes_no
from scripts.generate.ids import UniqueSerials, date_digits, identity_bases
from scripts.generate.names import marga_indices, person_names
from scripts.generate.plan import Chunk, Plan
from scripts.generate.profiles import NikPrefixes
from scripts.generate.questionnaire import member_columns
from scripts.generate.sampling import Stream, draw_codes, rank_within, stream_rng

HEAD, SPOUSE, CHILD, IN_LAW, GRANDCHILD, PARENT, OTHER = 1, 2, 3, 4, 5, 6, 8
MALE, FEMALE = 1, 2
NEVER, MARRIED, DIVORCED, WIDOWED = 1, 2, 3, 4
REFERENCE = np.datetime64(REFERENCE_DATE.isoformat(), "D")
MIGRANT_SHARE = 0.08
# Relation of members beyond head and spouse, by the head's age (<45, 45-59, 60+).
OTHER_RELATIONS = (CHILD, IN_LAW, GRANDCHILD, PARENT, OTHER)
OTHER_RELATION_P = np.array(
    [
        [0.89, 0.005, 0.012, 0.06, 0.033],
        [0.79, 0.04, 0.09, 0.03, 0.05],
        [0.50, 0.11, 0.30, 0.005, 0.085],
    ]
)


@dataclass(frozen=True)
class SchoolLevel:
    """A level of the Indonesian school system (UU 20/2003 Sisdiknas): its code in
    pendidikan_tertinggi (the general school; the madrasah is code + MADRASAH_OFFSET), the age of
    its pupils in their last grade when on time, its grades, and the diploma (ijazah_tertinggi)
    its pupils hold (that of the level below)."""

    level: int
    last_age: int
    grades: int
    diploma_held: int

    @property
    def entry_age_minus_one(self) -> int:
        """Age minus this gives the grade of a pupil on time."""
        return self.last_age - self.grades


PRIMARY = SchoolLevel(level=1, last_age=12, grades=6, diploma_held=0)  # SD
JUNIOR_SECONDARY = SchoolLevel(level=4, last_age=15, grades=3, diploma_held=1)  # SMP
SENIOR_SECONDARY = SchoolLevel(level=7, last_age=18, grades=3, diploma_held=2)  # SMA/SMK
HIGHER = SchoolLevel(level=10, last_age=22, grades=4, diploma_held=3)  # perguruan tinggi
SCHOOL_LEVELS = (PRIMARY, JUNIOR_SECONDARY, SENIOR_SECONDARY, HIGHER)
MADRASAH_OFFSET = 2  # MI 3, MTs 6, MA 9 beside SD 1, SMP 4, SMA 7
COMPLETED_GRADE = 8  # kelas_tertinggi of a level completed
# Diplomas of higher education (ijazah_tertinggi).
DIPLOMA_D1_D3, BACHELOR_D4_S1, MASTER_OR_DOCTORATE = 4, 5, 6
# Out of school, the stage reached: 0 dropped out of SD, 1 SD completed, 2 dropped out of SMP,
# 3 SMP completed, 4 dropped out of SMA, 5 SMA completed, 6 higher education. Per stage: the
# level attended, the diploma held (higher education: drawn), the Paket A/B/C equivalency of a
# completed level (0: none).
STAGE_LEVEL = np.array([1, 1, 4, 4, 7, 7, 10])
STAGE_DIPLOMA = np.array([0, 1, 1, 2, 2, 3, 0])
STAGE_EQUIVALENCY = np.array([0, 2, 0, 5, 0, 8, 0])
COMPLETED_STAGES = (1, 3, 5, 6)
DROPPED_IN_PRIMARY, HIGHER_EDUCATION = 0, 6
# The highest stage reachable at an age: SD completed at 12, SMP at 15, SMA at 18, a D3 at 21.
FIRST_DEGREE_AGE = 21


@dataclass
class Individuals:
    """One chunk's members, grouped by household (`hh` indexes the chunk's Households)."""

    hh: np.ndarray
    member_no: np.ndarray  # 1-based
    nik: np.ndarray  # int64
    nokk: np.ndarray  # int64
    sex: np.ndarray  # 1 male, 2 female
    birth: np.ndarray  # datetime64[D]
    age: np.ndarray  # at REFERENCE_DATE (Umur of a delivery: ages_at(birth, its date))
    hub: np.ndarray
    nuk: np.ndarray
    in_school: np.ndarray  # bool
    pregnant: np.ndarray  # bool
    name: pa.Array
    birthplace: pa.Array
    columns: dict[str, np.ndarray]  # other coded columns by contract name, BLANK where empty

    def __len__(self) -> int:
        return int(self.hh.shape[0])


def date_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) integer arrays of datetime64[D] values."""
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def ages_at(dates: np.ndarray, on: dt.date) -> np.ndarray:
    """Completed years on the date `on` of people born on `dates` (Umur of a delivery of that
    date)."""
    year, month, day = date_parts(dates)
    before_birthday = (month > on.month) | ((month == on.month) & (day > on.day))
    return on.year - year - before_birthday.astype(np.int64)


def ages_at_reference(dates: np.ndarray) -> np.ndarray:
    """Completed years at REFERENCE_DATE."""
    return ages_at(dates, REFERENCE_DATE)


def birth_dates(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """Birth dates giving these ages at REFERENCE_DATE; some older people carry the 1 January or
    31 December written when the real date is unknown."""
    n = age.shape[0]
    days_before = np.floor((age + rng.random(n)) * 365.2425).astype(np.int64)
    birth = REFERENCE - days_before
    birth = np.where(age < 0, REFERENCE, birth)
    heaped = (age >= 30) & (rng.random(n) < 0.08)
    year = birth.astype("datetime64[Y]")
    january = year.astype("datetime64[D]")
    december = (year + 1).astype("datetime64[D]") - 1
    return np.where(heaped, np.where(rng.random(n) < 0.5, january, december), birth)


def first_of_group(groups: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Boolean: the first row of each group among rows where mask is true (rows grouped)."""
    index = np.flatnonzero(mask)
    first = np.zeros(groups.shape[0], dtype=bool)
    if index.size:
        g = groups[index]
        keep = np.ones(index.shape[0], dtype=bool)
        keep[1:] = g[1:] != g[:-1]
        first[index[keep]] = True
    return first


def per_household(
    n: int, hh: np.ndarray, mask: np.ndarray, values: np.ndarray, fill: float
) -> np.ndarray:
    """values of the (first) row matching mask in each household, `fill` elsewhere."""
    out = np.full(n, fill, dtype=values.dtype if values.dtype != bool else bool)
    out[hh[mask]] = values[mask]
    return out


@dataclass
class Roster:
    """Who lives in each household, in form order, with age, sex and family."""

    hh: np.ndarray
    member_no: np.ndarray
    hub: np.ndarray
    age: np.ndarray
    female: np.ndarray
    birth: np.ndarray
    nuk: np.ndarray
    hubkel: np.ndarray
    spouse_present: np.ndarray  # per member: the household head lives with a spouse
    married_child: np.ndarray  # the child heading the second family (NUK 2)
    households: int


def heads_and_spouses(
    rng: np.random.Generator, z: np.ndarray, size: np.ndarray, parameters: RosterParameters
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per household: head is female, head's age, a spouse lives there, spouse's age. Female
    heads are older, more frequent among the poor and in small households."""
    household_count = z.shape[0]
    alone, two = size == 1, size == 2
    female_head_probability = (
        parameters.female_head.at(z)
        + parameters.female_head_extra_if_alone * alone
        + parameters.female_head_extra_if_two * two
    )
    head_female = rng.random(household_count) < np.clip(female_head_probability, 0, 1)
    female_head_age = parameters.female_head_age.draw(rng, household_count)
    male_head_age = (
        parameters.male_head_age.draw(rng, household_count)
        + parameters.male_head_age_change_for_poorest * z
    )
    head_age = (
        np.where(head_female, female_head_age, male_head_age)
        + parameters.head_age_extra_if_alone * alone
    )
    head_ages = parameters.head_ages
    head_age = np.clip(np.round(head_age), head_ages.low, head_ages.high).astype(np.int64)
    spouse_of_male_head = np.select(
        [head_age < 60, head_age < 70],
        [parameters.spouse_of_male_head_under_60, parameters.spouse_of_male_head_60_to_69],
        parameters.spouse_of_male_head_70_and_over,
    )
    spouse_probability = np.where(
        head_female, parameters.spouse_of_female_head, spouse_of_male_head
    )
    has_spouse = (size >= 2) & (rng.random(household_count) < spouse_probability)
    gap = np.round(parameters.couple_age_gap.draw(rng, household_count)).astype(np.int64)
    spouse_ages = parameters.spouse_ages
    wife_age = np.clip(
        head_age - gap, spouse_ages.low, head_age + parameters.wife_at_most_older_than_husband
    )
    spouse_age = np.where(head_female, head_age + np.abs(gap), wife_age)
    return head_female, head_age, has_spouse, np.clip(spouse_age, spouse_ages.low, spouse_ages.high)


def relations(
    rng: np.random.Generator,
    hh: np.ndarray,
    head_age: np.ndarray,
    has_spouse: np.ndarray,
    grandparent_min_age: int,
) -> np.ndarray:
    """Hub_KRT of each member (rows grouped by household, head first): spouse second when there
    is one; the others mostly children, more grandchildren and in-laws under older heads; at
    most one child-in-law and two parents per household."""
    m = hh.shape[0]
    position = rank_within(hh)
    hub = np.full(m, OTHER, dtype=np.int64)
    hub[position == 0] = HEAD
    hub[(position == 1) & has_spouse[hh]] = SPOUSE
    rest = (hub == OTHER) & (position > 0)
    age_group = np.select([head_age < 45, head_age < 60], [0, 1], 2)[hh[rest]]
    cumulative = np.cumsum(OTHER_RELATION_P, axis=1)[age_group]
    drawn = (rng.random(age_group.shape[0])[:, None] >= cumulative).sum(axis=1)
    hub[rest] = np.asarray(OTHER_RELATIONS)[np.minimum(drawn, len(OTHER_RELATIONS) - 1)]
    hub[(hub == GRANDCHILD) & (head_age[hh] < grandparent_min_age)] = CHILD
    order = np.lexsort((np.arange(m), hub, hh))
    rank = np.empty(m, dtype=np.int64)
    rank[order] = rank_within(hh[order] * 16 + hub[order])
    hub[(hub == IN_LAW) & (rank >= 1)] = OTHER
    hub[(hub == PARENT) & (rank >= 2)] = OTHER
    return hub


def household_roster(
    rng: np.random.Generator, households: Households, parameters: RosterParameters
) -> Roster:
    """Who lives in each household (rows grouped by household, in form order), with age, sex
    and family."""
    household_count = len(households)
    head_female, head_age, has_spouse, spouse_age = heads_and_spouses(
        rng, households.z, households.size, parameters
    )
    mother_age = np.where(
        head_female,
        head_age,
        np.where(has_spouse, spouse_age, head_age - parameters.lone_father_minus_mother_age),
    )
    hh = np.repeat(np.arange(household_count), households.size)
    member_count = hh.shape[0]
    hub = relations(rng, hh, head_age, has_spouse, parameters.grandparent_min_age)

    # Ages: children born to mothers of childbearing age, grandchildren young enough for the
    # head to be their grandparent, parents older than the head by a generation; a child-in-law
    # needs an adult child to be married to. `position` places each age within its range.
    position = rng.random(member_count)
    childbearing = parameters.childbearing_ages
    youngest_child = np.maximum(0, mother_age[hh] - childbearing.high)
    oldest_child_possible = np.maximum(youngest_child, mother_age[hh] - childbearing.low)
    child_age = youngest_child + np.floor(
        position * (oldest_child_possible - youngest_child + 1)
    ).astype(np.int64)
    oldest_grandchild = np.minimum(
        parameters.grandchild_max_age, head_age[hh] - parameters.grandparent_min_age
    )
    grandchild_age = np.floor(position * (oldest_grandchild + 1)).astype(np.int64)
    parent_age = np.minimum(
        parameters.max_age,
        head_age[hh] + parameters.parent_minus_head_age.draw(rng, member_count),
    )
    age = np.select(
        [hub == HEAD, hub == SPOUSE, hub == CHILD, hub == GRANDCHILD, hub == PARENT],
        [head_age[hh], spouse_age[hh], child_age, grandchild_age, parent_age],
        parameters.other_member_ages.draw(rng, member_count),
    )
    oldest_child = np.full(household_count, -1, dtype=np.int64)
    np.maximum.at(oldest_child, hh[hub == CHILD], age[hub == CHILD])
    lone_in_law = (hub == IN_LAW) & (oldest_child[hh] < parameters.adult_age)
    hub[lone_in_law] = OTHER
    age = np.where(lone_in_law, parameters.lone_in_law_ages.draw(rng, member_count), age)
    second_family = np.bincount(hh[hub == IN_LAW], minlength=household_count) > 0

    # Form order: head, spouse, children (oldest first), in-law, grandchildren, parents, others.
    order = np.lexsort((-age, hub, hh))
    hub, age, position = hub[order], age[order], position[order]
    married_child = first_of_group(hh, hub == CHILD) & second_family[hh]
    married_child_age = per_household(household_count, hh, married_child, age, -1)
    in_law = hub == IN_LAW
    in_law_gap = np.round(parameters.in_law_age_gap.draw(rng, member_count)).astype(np.int64)
    partner_age = married_child_age[hh] + in_law_gap
    partner_age = np.clip(partner_age, parameters.min_partner_age, parameters.max_age)
    age = np.where(in_law, partner_age, age)
    couple_age = np.minimum(married_child_age, per_household(household_count, hh, in_law, age, -1))
    in_second_family = (hub == GRANDCHILD) & second_family[hh]
    oldest_child_of_couple = np.minimum(
        parameters.grandchild_max_age, couple_age[hh] - childbearing.low
    )
    age = np.where(in_second_family, np.floor(position * (oldest_child_of_couple + 1)), age)

    female = rng.random(member_count) < parameters.female_share_of_other_members
    female = np.select(
        [hub == HEAD, hub == SPOUSE, hub == PARENT],
        [
            head_female[hh],
            ~head_female[hh],
            rng.random(member_count) < parameters.female_share_of_parents,
        ],
        female,
    )
    female[in_law] = ~per_household(household_count, hh, married_child, female, False)[hh[in_law]]

    birth = birth_dates(rng, age.astype(np.int64))
    nuk = np.where(married_child | in_law | in_second_family, 2, 1)
    partner_role = np.where(female, 2, 1)
    return Roster(
        hh=hh,
        member_no=rank_within(hh) + 1,
        hub=hub,
        age=ages_at_reference(birth),
        female=female,
        birth=birth,
        nuk=nuk,
        hubkel=np.where(nuk == 1, hub, np.where(hub == GRANDCHILD, 3, partner_role)),
        spouse_present=has_spouse[hh],
        married_child=married_child,
        households=household_count,
    )


def characteristics(
    rng: np.random.Generator, roster: Roster, households: Households, profile: Profile
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Coded columns (marriage, documents, pregnancy, disability, illness, school, work), who
    is in school and who is pregnant."""
    hh, hub, age, female = roster.hh, roster.hub, roster.age, roster.female
    m = hh.shape[0]
    z = households.z[hh]
    columns: dict[str, np.ndarray] = {"hubkel": roster.hubkel}
    with_children = np.bincount(hh[np.isin(hub, (CHILD, GRANDCHILD))], minlength=len(households))
    marital = marital_status(
        rng, hub, age, female, roster.spouse_present, with_children[hh] > 0, roster.married_child
    )
    columns["sta_kawin"] = marital
    ever_married = marital != NEVER
    akta = draw_codes(rng, z, {1: 70, 2: 15, 0: 15}, {1: 40, 2: 20, 0: 40})
    columns["ada_akta_nikah"] = np.where(ever_married, akta, BLANK)
    columns["ada_dikk"] = yes_no(rng.random(m) < 0.96)
    pregnant = female & (marital == MARRIED) & (rng.random(m) < pregnancy_probability(age))
    asked = female & ever_married & (age >= 10) & (age <= 49)
    columns["sta_hamil"] = np.where(asked, yes_no(pregnant), BLANK)
    disabled = rng.random(m) < 0.011 + 0.035 * (age >= 60) + 0.008 * z
    kind = draw_codes(
        rng, z, {1: 35, 2: 15, 3: 10, 4: 8, 5: 5, 6: 2, 7: 1, 8: 1, 9: 1, 10: 12, 11: 5, 12: 5}
    )
    columns["jenis_cacat"] = np.where(disabled, kind, 0)
    chronic = rng.random(m) < np.clip(0.01 + 0.0045 * np.maximum(age - 25, 0), 0, 0.4)
    illness = draw_codes(rng, z, {1: 35, 2: 20, 3: 10, 4: 8, 5: 10, 6: 5, 7: 4, 8: 2, 9: 6})
    columns["penyakit_kronis"] = np.where(chronic, illness, 0)
    in_school = schooling(rng, age, z, columns, profile.schooling)
    working = work(
        rng, hub, age, female, in_school, z, households.head_sector[hh], profile, columns
    )
    columns["ada_kartu_identitas"] = identity_documents(
        rng, age, female, in_school, working, ever_married, z
    )
    return columns, in_school, pregnant


def identity_numbers(
    rng: np.random.Generator,
    roster: Roster,
    home: np.ndarray,
    prefixes: NikPrefixes,
    nik_registry: UniqueSerials,
    kk_registry: UniqueSerials,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(NIK, NoKK, NIK prefix) of each member; `home` is each household's kecamatan prefix.
    A KK is issued in the home kecamatan to each family (NUK) between 2004 and mid-2015."""
    hh = roster.hh
    prefix = nik_prefixes_for(rng, home[hh], prefixes)
    year, month, day = date_parts(roster.birth)
    nik = nik_registry.issue(
        rng, identity_bases(prefix, date_digits(year, month, day, roster.female))
    )
    family = hh * 2 + (roster.nuk - 1)
    families = np.unique(family)
    issued = np.datetime64("2004-01-01") + rng.integers(0, 4199, size=families.shape[0])
    k_year, k_month, k_day = date_parts(issued)
    kk = kk_registry.issue(
        rng, identity_bases(home[families // 2], date_digits(k_year, k_month, k_day))
    )
    return nik, kk[np.searchsorted(families, family)], prefix


def names_and_birthplaces(
    rng: np.random.Generator,
    roster: Roster,
    nik_prefix: np.ndarray,
    prefixes: NikPrefixes,
    marga_share: float,
) -> tuple[pa.Array, pa.Array]:
    """Names (the household's marga for the head's blood relatives in Batak households) and
    places of birth (mostly the kabupaten that issued the NIK)."""
    hh, hub = roster.hh, roster.hub
    n, m = roster.households, hh.shape[0]
    batak = rng.random(n) < marga_share
    household_marga = marga_indices(rng, n)
    own_marga = np.where(rng.random(m) < 0.8, marga_indices(rng, m), -1)
    blood = np.isin(hub, (HEAD, CHILD, GRANDCHILD))
    marga = np.where(batak[hh], np.where(blood, household_marga[hh], own_marga), -1)
    name = person_names(rng, roster.female, marga)
    place = np.searchsorted(prefixes.code, nik_prefix)
    elsewhere = rng.random(m) < 0.12
    place = np.where(elsewhere, rng.integers(0, prefixes.code.shape[0], size=m), place)
    return name, pa.array(prefixes.place_name, type=pa.string()).take(pa.array(place))


def make_individuals(
    households: Households,
    plan: Plan,
    chunk: Chunk,
    profile: Profile,
    prefixes: NikPrefixes,
    nik_registry: UniqueSerials,
    kk_registry: UniqueSerials,
    seed: int,
) -> Individuals:
    """The members of the chunk's households, with unique NIK and KK numbers."""
    rng = stream_rng(seed, Stream.INDIVIDUALS, chunk.index)
    roster = household_roster(rng, households, profile.roster)
    columns, in_school, pregnant = characteristics(rng, roster, households, profile)
    columns |= member_columns(
        seed, chunk.index, households.z[roster.hh], roster.age, roster.female, columns
    )
    home = plan.regions.nik_prefix[households.desa]
    nik, nokk, prefix = identity_numbers(
        stream_rng(seed, Stream.IDS, chunk.index), roster, home, prefixes, nik_registry, kk_registry
    )
    name, birthplace = names_and_birthplaces(
        stream_rng(seed, Stream.NAMES, chunk.index), roster, prefix, prefixes, profile.marga_share
    )
    return Individuals(
        hh=roster.hh,
        member_no=roster.member_no,
        nik=nik,
        nokk=nokk,
        sex=np.where(roster.female, FEMALE, MALE),
        birth=roster.birth,
        age=roster.age,
        hub=roster.hub,
        nuk=roster.nuk,
        in_school=in_school,
        pregnant=pregnant,
        name=name,
        birthplace=birthplace,
        columns=columns,
    )


def nik_prefixes_for(
    rng: np.random.Generator, home: np.ndarray, prefixes: NikPrefixes
) -> np.ndarray:
    """The kecamatan of issue: home for most people; for about 8% (migrants) another kecamatan
    of the same kabupaten, of the same province, or of anywhere."""
    m = home.shape[0]
    migrant = rng.random(m) < MIGRANT_SHARE
    where = rng.random(m)
    u = rng.random(m)
    anywhere = prefixes.code[
        np.minimum((u * prefixes.code.shape[0]).astype(np.int64), prefixes.code.shape[0] - 1)
    ]
    same_kab = prefixes.within(100, home // 100, u)
    same_prov = prefixes.within(10_000, home // 10_000, u)
    other = np.select([where < 0.4, where < 0.7], [same_kab, same_prov], anywhere)
    other = np.where(other < 0, anywhere, other)
    return np.where(migrant, other, home)


def marital_status(
    rng: np.random.Generator,
    hub: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    spouse_present: np.ndarray,
    with_children: np.ndarray,
    married_child: np.ndarray,
) -> np.ndarray:
    """Sta_kawin: heads without a spouse are mostly widowed or divorced (never married only
    when no child lives with them), spouses and the couple of a second family married."""
    m = hub.shape[0]
    z0 = np.zeros(m)
    alone_male = draw_codes(rng, z0, {WIDOWED: 45, DIVORCED: 25, NEVER: 30})
    alone_female = draw_codes(rng, z0, {WIDOWED: 72, DIVORCED: 19, NEVER: 9})
    young_alone = draw_codes(rng, z0, {DIVORCED: 50, NEVER: 50})
    head_alone = np.where(age < 30, young_alone, np.where(female, alone_female, alone_male))
    head_alone = np.where(with_children & (head_alone == NEVER), WIDOWED, head_alone)
    adult_child = draw_codes(rng, z0, {NEVER: 82, DIVORCED: 11, MARRIED: 7})
    other_adult = draw_codes(rng, z0, {NEVER: 50, MARRIED: 25, WIDOWED: 25})
    parent = draw_codes(rng, z0, {WIDOWED: 80, MARRIED: 20})
    child = np.where(
        age >= 25, adult_child, np.where((age >= 17) & (rng.random(m) < 0.05), DIVORCED, NEVER)
    )
    return np.select(
        [
            hub == HEAD,
            (hub == SPOUSE) | (hub == IN_LAW) | married_child,
            hub == CHILD,
            hub == GRANDCHILD,
            hub == PARENT,
        ],
        [
            np.where(spouse_present, MARRIED, head_alone),
            MARRIED,
            child,
            NEVER,
            parent,
        ],
        np.where(age >= 17, other_adult, NEVER),
    )


def pregnancy_probability(age: np.ndarray) -> np.ndarray:
    return np.select(
        [age < 15, age < 20, age < 35, age < 40, age < 50], [0.0, 0.04, 0.075, 0.03, 0.008], 0.0
    )


def schooling(
    rng: np.random.Generator,
    age: np.ndarray,
    z: np.ndarray,
    columns: dict[str, np.ndarray],
    parameters: SchoolingParameters,
) -> np.ndarray:
    """Participation, level, grade and diploma consistent with age; poorer children leave earlier.
    Fills the columns and returns who is in school."""
    member_count = age.shape[0]
    in_school_probability = rate_by_age(
        parameters.enrolment_by_age, parameters.enrolment_older, age, z
    )
    in_school = rng.random(member_count) < in_school_probability
    never_attended_probability = rate_by_age(
        parameters.never_attended_by_age, parameters.never_attended_older, age, z
    )
    never = ~in_school & (rng.random(member_count) < never_attended_probability)
    columns["partisipasi_sekolah"] = np.select([in_school, never], [1, 0], 2)

    madrasah = rng.random(member_count) < parameters.madrasah_share
    # In school: level and grade by age (pupils past SMA age in higher education, or some of
    # them still in SMA).
    still_in_senior_secondary = (age <= SENIOR_SECONDARY.last_age) | (
        rng.random(member_count) < parameters.over_age_senior_secondary_share
    )
    level_in = np.select(
        [age <= PRIMARY.last_age, age <= JUNIOR_SECONDARY.last_age, still_in_senior_secondary],
        [PRIMARY.level, JUNIOR_SECONDARY.level, SENIOR_SECONDARY.level],
        HIGHER.level,
    )
    on_time_grade = [
        np.clip(age - level.entry_age_minus_one, 1, level.grades) for level in SCHOOL_LEVELS
    ]
    below_higher = [level_in == level.level for level in SCHOOL_LEVELS[:-1]]
    grade_in = np.select(below_higher, on_time_grade[:-1], on_time_grade[-1])
    diploma_in = np.select(
        below_higher, [level.diploma_held for level in SCHOOL_LEVELS[:-1]], HIGHER.diploma_held
    )
    # Out of school: the stage reached (STAGE_LEVEL), capped by age.
    younger = draw_codes(
        rng, z, parameters.stages_younger_least_poor, parameters.stages_younger_poorest
    )
    older = draw_codes(rng, z, parameters.stages_older_least_poor, parameters.stages_older_poorest)
    stage = np.where(age >= parameters.older_generation_age, older, younger)
    highest_stage_at_age = np.select(
        [
            age < PRIMARY.last_age,
            age < JUNIOR_SECONDARY.last_age,
            age < SENIOR_SECONDARY.last_age,
            age < FIRST_DEGREE_AGE,
        ],
        [0, 2, 4, 5],
        HIGHER_EDUCATION,
    )
    stage = np.minimum(stage, highest_stage_at_age)
    level_out = STAGE_LEVEL[stage]
    grade_out = np.where(np.isin(stage, COMPLETED_STAGES), COMPLETED_GRADE, 0)
    # Who dropped out left before the last grade of the level (SD: by age at most).
    dropped_in_primary = stage == DROPPED_IN_PRIMARY
    dropped_grade = np.where(
        dropped_in_primary,
        rng.integers(1, PRIMARY.grades, size=member_count),
        rng.integers(1, JUNIOR_SECONDARY.grades, size=member_count),
    )
    highest_primary_grade = np.maximum(age - PRIMARY.entry_age_minus_one, 1)
    dropped_grade = np.where(
        dropped_in_primary, np.minimum(dropped_grade, highest_primary_grade), dropped_grade
    )
    grade_out = np.where(grade_out == 0, dropped_grade, grade_out)
    degree = np.where(
        rng.random(member_count) < parameters.diploma_share_of_graduates,
        DIPLOMA_D1_D3,
        np.where(
            rng.random(member_count) < parameters.bachelor_share_of_other_graduates,
            BACHELOR_D4_S1,
            MASTER_OR_DOCTORATE,
        ),
    )
    diploma_out = np.where(stage == HIGHER_EDUCATION, degree, STAGE_DIPLOMA[stage])

    level = np.where(in_school, level_in, level_out)
    general = (PRIMARY.level, JUNIOR_SECONDARY.level, SENIOR_SECONDARY.level)
    level = np.where(madrasah & np.isin(level, general), level + MADRASAH_OFFSET, level)
    equivalency = (
        ~in_school
        & (rng.random(member_count) < parameters.equivalency_share)
        & np.isin(stage, COMPLETED_STAGES[:-1])
    )
    level = np.where(equivalency, STAGE_EQUIVALENCY[stage], level)
    columns["pendidikan_tertinggi"] = np.where(never, BLANK, level)
    columns["kelas_tertinggi"] = np.where(never, BLANK, np.where(in_school, grade_in, grade_out))
    columns["ijazah_tertinggi"] = np.where(
        never, BLANK, np.where(in_school, diploma_in, diploma_out)
    )
    return in_school


def work(
    rng: np.random.Generator,
    hub: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    in_school: np.ndarray,
    z: np.ndarray,
    head_sector: np.ndarray,
    profile: Profile,
    columns: dict[str, np.ndarray],
) -> np.ndarray:
    """Work status for members aged 5+, sector, status and hours of those who work."""
    m = age.shape[0]
    p_adult = np.select(
        [hub == HEAD, (hub == SPOUSE) & female, hub == SPOUSE],
        [
            np.select([age < 60, age < 70], [0.93, 0.62], 0.35) * np.where(female, 0.85, 1.0),
            0.35 + 0.05 * z,
            0.85,
        ],
        np.where(in_school, 0.06, np.where(female, 0.38, 0.72)),
    )
    p = np.select(
        [age < 10, age < 18, age >= 65],
        [0.0, np.where(in_school, 0.01, 0.25) * (0.6 + 0.8 * z), np.minimum(p_adult, 0.3)],
        p_adult,
    )
    working = (age >= 5) & (rng.random(m) < p)
    columns["sta_bekerja"] = np.where(age >= 5, yes_no(working), BLANK)
    sector = draw_codes(rng, z, profile.sector_weights_rich, profile.sector_weights_poor)
    sector = np.where(hub == HEAD, head_sector, sector)
    farm = sector <= 7
    status_farm = draw_codes(
        rng, z, {1: 40, 2: 10, 4: 15, 6: 15, 8: 20}, {1: 30, 2: 3, 4: 10, 6: 37, 8: 20}
    )
    status_other = draw_codes(
        rng,
        z,
        {1: 35, 2: 6, 3: 3, 4: 34, 5: 7, 7: 8, 8: 7},
        {1: 33, 2: 2, 4: 25, 5: 0.5, 7: 30, 8: 9.5},
    )
    status_child = draw_codes(rng, z, {8: 60, 7: 25, 4: 15})
    status = np.where(age < 18, status_child, np.where(farm, status_farm, status_other))
    hours = np.clip(np.round(rng.normal(42 - 6 * z, 12)), 2, 98).astype(np.int64)
    columns["jumlah_jamkerja"] = np.where(working, hours, BLANK)
    columns["lapangan_usaha"] = np.where(working, sector, BLANK)
    columns["status_pekerjaan"] = np.where(working, status, BLANK)
    return working


def identity_documents(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    in_school: np.ndarray,
    working: np.ndarray,
    ever_married: np.ndarray,
    z: np.ndarray,
) -> np.ndarray:
    """Bit flags: 1 birth certificate, 2 student card, 4 KTP, 8 driving licence."""
    m = age.shape[0]
    birth_certificate = rng.random(m) < np.where(age < 18, 0.80 - 0.30 * z, 0.40 - 0.25 * z)
    student_card = in_school & (age >= 12) & (rng.random(m) < 0.6)
    ktp = ((age >= 17) | ever_married) & (rng.random(m) < 0.94 - 0.12 * z)
    licence = (age >= 17) & working & (rng.random(m) < np.where(female, 0.06, 0.38 - 0.25 * z))
    return birth_certificate * 1 + student_card * 2 + ktp * 4 + licence * 8


def head_rows(individuals: Individuals) -> np.ndarray:
    """Row of each household's head (member 1), household by household."""
    return np.flatnonzero(individuals.member_no == 1)


def families_per_household(individuals: Individuals, households: int) -> np.ndarray:
    """Jumlah_Keluarga: the highest NUK of each household."""
    out = np.ones(households, dtype=np.int64)
    np.maximum.at(out, individuals.hh, individuals.nuk)
    return out
