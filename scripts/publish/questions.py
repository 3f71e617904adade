"""The person questions of the publication: which members each counts, and which answer is
"yes". Members are counted in the warehouse (warehouse.member_sums), per household first, so
that the publication knows how many households stand behind each base."""

from __future__ import annotations

from dataclasses import dataclass

MALE, FEMALE = 1, 2
SCHOOL_AGES = ((7, 12), (13, 15), (16, 18))
SEXES = {"male": MALE, "female": FEMALE, "all": None}
WORKING_CHILD_AGES = (10, 17)


@dataclass(frozen=True)
class MemberQuestion:
    """Members aged `ages` (bounds included; of `sex_code` when given) asked a question whose
    answer is `answer_column` of marts.dim_individual, "yes" for `yes_codes`. A member whose age
    (or, for one sex, sex) is unknown is in no group; a blank answer is unknown."""

    name: str
    ages: tuple[int, int]
    sex_code: int | None
    answer_column: str
    yes_codes: tuple[int, ...]


def school_question(ages: tuple[int, int], sex: str) -> MemberQuestion:
    """Children of an age group still in school (Partisipasi_sekolah 1)."""
    return MemberQuestion(
        f"in_school_{ages[0]}_{ages[1]}_{sex}", ages, SEXES[sex], "school_participation_code", (1,)
    )


MEMBER_QUESTIONS: tuple[MemberQuestion, ...] = (
    *(school_question(ages, sex) for ages in SCHOOL_AGES for sex in SEXES),
    # asked of members aged 5 and over (is_work_asked): every child of 10-17 is asked
    MemberQuestion("working_10_17", WORKING_CHILD_AGES, None, "worked_code", (1,)),
)
