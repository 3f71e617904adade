"""Program participation flags of households (PBDT 2015 and the 2017 Kemensos release) and of
members, consistent with each other and with the PKH lists."""

from __future__ import annotations

import numpy as np

from scripts.generate.households import BLANK, Households, yes_no
from scripts.generate.individuals import Individuals
from scripts.generate.pkh import PkhFamilies
from scripts.generate.plan import Chunk
from scripts.generate.sampling import Stream, draw_yes, stream_rng


def zero_one(flag: np.ndarray) -> np.ndarray:
    """Kemensos release flags: 1 yes, 0 no."""
    return flag.astype(np.int64)


def program_flags(
    households: Households, people: Individuals, pkh: PkhFamilies, chunk: Chunk, seed: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(household columns, individual columns) of program flags."""
    rng = stream_rng(seed, Stream.PROGRAMS, chunk.index)
    n = len(households)
    z = households.z
    hh = people.hh
    in_bdt = pkh.household >= 0
    rows = pkh.household[in_bdt]
    pkh_2015 = np.zeros(n, dtype=bool)
    pkh_2015[rows] = pkh.status[in_bdt, 0] != 0
    pkh_2016 = np.zeros(n, dtype=bool)
    pkh_2016[rows] = pkh.in_year(2016)[in_bdt]
    pkh_2017 = np.zeros(n, dtype=bool)
    pkh_2017[rows] = pkh.in_year(2017)[in_bdt]
    idpkh = np.full(n, BLANK, dtype=np.int64)
    idpkh[rows] = pkh.idpkh[in_bdt]

    h: dict[str, np.ndarray] = {}
    sta_pkh = np.where(pkh_2015, rng.random(n) < 0.95, rng.random(n) < 0.01)
    kks = pkh_2015 | draw_yes(rng, z, 0.08, 0.55)
    kis = draw_yes(rng, z, 0.25, 0.82)
    rastra = draw_yes(rng, z, 0.40, 0.90)
    school_age = people.in_school & (people.age >= 6) & (people.age <= 21)
    kip_household = draw_yes(rng, z, 0.10, 0.55)
    kip = school_age & kip_household[hh] & (rng.random(len(people)) < 0.85)
    h["sta_kks"] = yes_no(kks)
    h["sta_kip"] = yes_no(np.bincount(hh[kip], minlength=n) > 0)
    h["sta_kis"] = yes_no(kis)
    h["sta_bpjs_mandiri"] = yes_no(draw_yes(rng, z, 0.15, 0.03))
    h["sta_jamsostek"] = yes_no(draw_yes(rng, z, 0.08, 0.01))
    h["sta_asuransi"] = yes_no(draw_yes(rng, z, 0.02, 0.001))
    h["sta_pkh"] = yes_no(sta_pkh)
    h["sta_rastra"] = yes_no(rastra)
    h["sta_kur"] = yes_no(draw_yes(rng, z, 0.03, 0.005))

    ada_pkh = pkh_2017 & (rng.random(n) < 0.98)
    kks_2016 = np.where(pkh_2016, rng.random(n) < 0.95, kks | draw_yes(rng, z, 0.03, 0.20))
    kks_2017 = kks_2016 | ada_pkh | draw_yes(rng, z, 0.02, 0.10)
    pbi = np.where(rng.random(n) < 0.85, kis, draw_yes(rng, z, 0.25, 0.82))
    bpnt = np.where(ada_pkh, rng.random(n) < 0.7, draw_yes(rng, z, 0.08, 0.45))
    h["adapkh"] = zero_one(ada_pkh)
    h["adakks2016"] = zero_one(kks_2016)
    h["adakks2017"] = zero_one(kks_2017)
    h["adapbi"] = zero_one(pbi)
    h["adabpnt"] = zero_one(bpnt)
    h["nopesertapkh"] = np.where(ada_pkh, idpkh, BLANK)

    i: dict[str, np.ndarray] = {
        "ada_kks": h["sta_kks"][hh],
        "ada_pbi": yes_no(kis[hh] & (rng.random(len(people)) < 0.93)),
        "ada_kip": yes_no(kip),
        "ada_pkh": h["sta_pkh"][hh],
        "ada_rastra": h["sta_rastra"][hh],
    }
    return h, i
