"""The rest of the PBDT 2015 questionnaire for members: own businesses, family planning (KB) and
school status (issue #17; the household's mobile phone and building area are drawn in
households.py, from Stream.QUESTIONNAIRE_HOUSEHOLDS).

Drawn from their own random stream (Stream.QUESTIONNAIRE_MEMBERS) after everything else is
drawn, so that adding them left the draws of every other column unchanged. The skip rules of
the form: business questions for members who worked (Sta_Bekerja 1), KB for married women
(Sta_kawin 2) aged 10-49, school status for members still in school (Partisipasi_sekolah 1)."""

from __future__ import annotations

import numpy as np

from scripts.generate.households import BLANK, yes_no
from scripts.generate.sampling import Stream, draw_codes, draw_yes, stream_rng

WORKED, MARRIED, IN_SCHOOL = 1, 2, 1
KB_AGES = (10, 49)
# Status in the main job (status_pekerjaan) of who runs a business: own-account, with
# temporary or unpaid helpers, with permanent paid workers.
OWN_ACCOUNT, WITH_HELPERS, WITH_EMPLOYEES = 1, 2, 3
# (p for the least poor, p for the poorest) of running a business: own-account workers, other
# workers (a side business).
BUSINESS_OF_OWN_ACCOUNT = (0.75, 0.55)
BUSINESS_OF_OTHER_WORKERS = (0.04, 0.02)
SIDE_BUSINESS_SECTORS = {12: 55, 13: 15, 9: 12, 19: 10, 4: 8}
SAME_SECTOR_SHARE = 0.85
FIXED_PLACE = (0.55, 0.20)
TURNOVER_LEAST_POOR = {1: 35, 2: 45, 3: 12, 4: 8}
TURNOVER_POOREST = {1: 75, 2: 22, 3: 2, 4: 1}
# KB use among married women by age (Indonesia's contraceptive prevalence is about 60%), lower
# for the poorest; methods: injectable and pill dominate, the poorest use fewer IUD and
# sterilisations (alat_kb codes of seeds/bdt_codelists.csv).
KB_AGE_BOUNDS = (20, 30, 40, 45)
KB_USE_BY_AGE = (0.50, 0.68, 0.72, 0.62, 0.42)
KB_POOREST_FACTOR = 0.85
KB_METHOD_LEAST_POOR = {1: 6, 2: 0.3, 3: 9, 4: 45, 5: 7, 6: 20, 7: 5, 8: 7.7}
KB_METHOD_POOREST = {1: 3, 2: 0.2, 3: 3, 4: 55, 5: 8, 6: 24, 7: 1.5, 8: 5.3}
# Share of private schools by level attended (pendidikan_tertinggi: SD 1, MI 3, SMP 4, MTs 6,
# SMA 7, MA 9, higher education 10); madrasah are mostly private. The least poor go to private
# general schools a little more often.
PRIVATE_SHARE = {1: 0.10, 3: 0.85, 4: 0.25, 6: 0.85, 7: 0.40, 9: 0.85, 10: 0.65}
PRIVATE_FACTOR = (1.3, 0.8)  # least poor, poorest


def kb_use_probability(age: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Probability that a married woman of this age uses KB."""
    by_age = np.select(
        [age < bound for bound in KB_AGE_BOUNDS], KB_USE_BY_AGE[:-1], KB_USE_BY_AGE[-1]
    )
    return by_age * (1.0 - (1.0 - KB_POOREST_FACTOR) * z)


def member_columns(
    seed: int,
    chunk: int,
    z: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    columns: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Business, KB and school-status columns of a chunk's members, from their age, sex, other
    coded columns and household poverty score z."""
    rng = stream_rng(seed, Stream.QUESTIONNAIRE_MEMBERS, chunk)
    m = age.shape[0]
    worked = columns["sta_bekerja"] == WORKED
    status = columns["status_pekerjaan"]
    own_account = np.isin(status, (OWN_ACCOUNT, WITH_HELPERS, WITH_EMPLOYEES))
    runs = worked & np.where(
        own_account,
        draw_yes(rng, z, *BUSINESS_OF_OWN_ACCOUNT),
        draw_yes(rng, z, *BUSINESS_OF_OTHER_WORKERS),
    )
    side_sector = draw_codes(rng, z, SIDE_BUSINESS_SECTORS)
    same_sector = own_account & (rng.random(m) < SAME_SECTOR_SHARE)
    sector = np.where(same_sector, columns["lapangan_usaha"], side_sector)
    workers = np.select(
        [status == OWN_ACCOUNT, status == WITH_HELPERS, status == WITH_EMPLOYEES],
        [
            1 + rng.poisson(0.1, size=m),
            2 + rng.poisson(0.6, size=m),
            2 + rng.poisson(np.clip(1.8 - z, 0.2, None)),
        ],
        1 + rng.poisson(0.3, size=m),
    )
    fixed_place = yes_no(draw_yes(rng, z, *FIXED_PLACE))
    turnover = draw_codes(rng, z, TURNOVER_LEAST_POOR, TURNOVER_POOREST)

    kb_asked = (
        female & (columns["sta_kawin"] == MARRIED) & (age >= KB_AGES[0]) & (age <= KB_AGES[1])
    )
    pregnant = columns["sta_hamil"] == 1
    uses_kb = ~pregnant & (rng.random(m) < kb_use_probability(age, z))
    method = draw_codes(rng, z, KB_METHOD_LEAST_POOR, KB_METHOD_POOREST)

    in_school = columns["partisipasi_sekolah"] == IN_SCHOOL
    level = columns["pendidikan_tertinggi"]
    share = np.zeros(m)
    for code, private_share in PRIVATE_SHARE.items():
        share[level == code] = private_share
    factor = PRIVATE_FACTOR[0] + (PRIVATE_FACTOR[1] - PRIVATE_FACTOR[0]) * z
    private = rng.random(m) < np.clip(share * factor, 0.0, 0.95)

    return {
        "sta_kb": np.where(kb_asked, yes_no(uses_kb), BLANK),
        "alat_kb": np.where(kb_asked & uses_kb, method, BLANK),
        "sta_sekolah": np.where(in_school, np.where(private, 2, 1), BLANK),
        "lapangan_usahaart": np.where(runs, sector, BLANK),
        "jumlah_pekerja": np.where(runs, workers, BLANK),
        "lokasi_usaha": np.where(runs, fixed_place, BLANK),
        "omset_usaha": np.where(runs, turnover, BLANK),
    }


def member_business(hh: np.ndarray, business_sector: np.ndarray, households: int) -> np.ndarray:
    """sta_art_usaha of each household: 1 when a member runs a business, else 2."""
    runs = np.bincount(hh[business_sector != BLANK], minlength=households) > 0
    return yes_no(runs)


def family_planning_at(columns: dict[str, np.ndarray], age: np.ndarray) -> dict[str, np.ndarray]:
    """Sta_KB and Alat_KB as a delivery writes them: blank for a member whose age on the
    delivery's date (`age`) is outside 10-49, the form's skip rule (the answers were drawn for
    the ages on the reference date; a later delivery finds some women aged 50)."""
    asked = (age >= KB_AGES[0]) & (age <= KB_AGES[1])
    return {name: np.where(asked, columns[name], BLANK) for name in ("sta_kb", "alat_kb")}
