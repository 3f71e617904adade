"""Upper-case Indonesian names, addresses and SLS names, drawn vectorised.

The pools mix the Malay/Muslim names common on the east coast of North Sumatra, Batak given names
and marga (Siregar, Nasution, Lubis, Harahap, ...), and names met across Indonesia.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.generate.sampling import rank_within

MALE_FIRST = (
    "MUHAMMAD",
    "AHMAD",
    "ABDUL",
    "RAHMAN",
    "SYAHRUL",
    "ZULKIFLI",
    "RIZKY",
    "FADLI",
    "HENDRA",
    "SUPRIADI",
    "SYAFRIZAL",
    "AMRAN",
    "BAHRUM",
    "DARWIN",
    "EDY",
    "FAHMI",
    "HASAN",
    "HUSIN",
    "IBRAHIM",
    "ISMAIL",
    "JAMALUDDIN",
    "KHAIRUL",
    "LUKMAN",
    "MAHMUD",
    "NASRUN",
    "RAMLI",
    "SAIFUL",
    "SUHERMAN",
    "TAUFIK",
    "USMAN",
    "YUSUF",
    "ZAINAL",
    "AGUS",
    "BUDI",
    "DEDI",
    "EKO",
    "JOKO",
    "SLAMET",
    "SUTRISNO",
    "WAHYU",
    "ARIF",
    "ANDI",
    "IRWAN",
    "JONI",
    "HOTMAN",
    "MARULI",
    "PARLINDUNGAN",
    "TUMPAL",
    "BONAR",
    "SAHAT",
    "TIGOR",
    "RUDI",
    "ROBERT",
    "DAVID",
    "JHON",
    "SAMUEL",
    "DANIEL",
    "PANDAPOTAN",
    "MANGASI",
    "BINSAR",
    "ALAMSYAH",
    "AZHAR",
    "SYAMSUL",
    "FIRMAN",
    "ROSLAN",
    "BURHAN",
    "ILHAM",
    "ADI",
    "DIMAS",
    "FAJAR",
    "ARDIANSYAH",
    "REZA",
)
FEMALE_FIRST = (
    "SITI",
    "NUR",
    "NURHAYATI",
    "AMINAH",
    "FATIMAH",
    "ROSMAWATI",
    "SRI",
    "DEWI",
    "YUNI",
    "RINA",
    "ERNI",
    "FITRI",
    "HASNAH",
    "JUARIAH",
    "KHADIJAH",
    "LELI",
    "MARIANI",
    "NURAINI",
    "RAHMAH",
    "ROSNIAR",
    "SAKDIAH",
    "SALMAH",
    "SYAHRIANI",
    "WARNI",
    "ZAHARA",
    "ZUBAIDAH",
    "AISYAH",
    "ANI",
    "DARMAWATI",
    "ELFRIDA",
    "HOTMARIA",
    "LAMRIA",
    "MASNIARI",
    "NURMALA",
    "ROMAULI",
    "SINTA",
    "TIURMA",
    "MARTA",
    "RUGUN",
    "DUMARIA",
    "LINDA",
    "MAYA",
    "INDAH",
    "PUTRI",
    "AYU",
    "WULAN",
    "NOVI",
    "RATNA",
    "SUMIATI",
    "SURIANI",
    "TITIN",
    "YATI",
    "MAISARAH",
    "HALIMAH",
    "RABIAH",
    "JUMIATI",
    "MISNAH",
    "ASNAH",
    "NURLELA",
    "RAHMAWATI",
)
MALE_SECOND = (
    "SYAH",
    "EFENDI",
    "HIDAYAT",
    "SAPUTRA",
    "PRATAMA",
    "RAMADHAN",
    "HAKIM",
    "FAUZI",
    "HARAHAP",
    "SALEH",
    "YAHYA",
    "ARIFIN",
    "GUNAWAN",
    "SETIAWAN",
    "KURNIAWAN",
    "HUSAIN",
    "ABIDIN",
    "AMIN",
    "NASIR",
    "RAHMAT",
    "SUHENDRA",
    "PUTRA",
    "HERMANTO",
    "SANTOSO",
)
FEMALE_SECOND = (
    "BORU",
    "SARI",
    "WATI",
    "NINGSIH",
    "HANDAYANI",
    "LESTARI",
    "RAHAYU",
    "YANTI",
    "FITRIANI",
    "SAFITRI",
    "PUSPITA",
    "AMELIA",
    "KHAIRANI",
    "ZAHRA",
    "ANGGRAINI",
    "MAWARNI",
    "PURBA",
)
MARGA = (
    "SIREGAR",
    "NASUTION",
    "LUBIS",
    "HARAHAP",
    "SITORUS",
    "HASIBUAN",
    "SIMANJUNTAK",
    "PANE",
    "SIMATUPANG",
    "HUTAGALUNG",
    "PANJAITAN",
    "SINAGA",
    "SIHOMBING",
    "TAMBUNAN",
    "MANURUNG",
    "SIAGIAN",
    "PARDEDE",
    "DAULAY",
    "RITONGA",
    "PULUNGAN",
    "MATONDANG",
    "DALIMUNTHE",
    "BATUBARA",
    "TANJUNG",
    "MARPAUNG",
    "NAPITUPULU",
    "SIMBOLON",
    "SILALAHI",
    "GULTOM",
    "PASARIBU",
)
STREETS = (
    "JL. SUDIRMAN",
    "JL. IMAM BONJOL",
    "JL. TELUK NIBUNG",
    "JL. SEI RAJA",
    "JL. DI PANJAITAN",
    "JL. MT HARYONO",
    "JL. ANGGREK",
    "JL. CEMARA",
    "JL. PERINTIS KEMERDEKAAN",
    "JL. BESAR",
    "JL. PELABUHAN",
    "JL. NELAYAN",
    "JL. PANTAI",
    "JL. MESJID",
    "JL. PENDIDIKAN",
    "JL. SIPORI-PORI",
    "JL. JUANDA",
    "JL. DIPONEGORO",
    "JL. KARTINI",
    "JL. SISINGAMANGARAJA",
    "JL. BUDI UTOMO",
    "JL. KAPTEN TANDEAN",
    "JL. HANG TUAH",
    "JL. SEI DUA",
    "JL. ASAHAN",
    "JL. KOPERASI",
    "GG. MAKMUR",
    "GG. AMAL",
    "GG. SEHAT",
    "GG. BERSAMA",
    "GG. SEPAKAT",
    "GG. DAMAI",
    "GG. BAHAGIA",
    "LORONG MELATI",
    "LORONG TOWER",
    "LORONG ABADI",
)
ROMAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
)


def _pool(values: tuple[str, ...]) -> pa.Array:
    return pa.array(values, type=pa.string())


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> pa.Array:
    """n draws from a pool; the earlier names of a pool are drawn more often (Zipf-like)."""
    weights = 1.0 / np.sqrt(np.arange(1, len(values) + 1))
    index = rng.choice(len(values), size=n, p=weights / weights.sum())
    return _pool(values).take(pa.array(index))


def _present(rng: np.random.Generator, values: pa.Array, share: float) -> pa.Array:
    """`values` with a share `1 - share` of them turned into nulls (skipped when joining)."""
    keep = pa.array(rng.random(len(values)) < share)
    return pc.if_else(keep, values, pa.scalar(None, pa.string()))


def person_names(rng: np.random.Generator, female: np.ndarray, marga_index: np.ndarray) -> pa.Array:
    """Full names: given name, often a second name, and the marga where marga_index >= 0."""
    n = female.shape[0]
    fem = pa.array(female)
    first = pc.if_else(fem, _pick(rng, FEMALE_FIRST, n), _pick(rng, MALE_FIRST, n))
    second = pc.if_else(fem, _pick(rng, FEMALE_SECOND, n), _pick(rng, MALE_SECOND, n))
    second = _present(rng, second, 0.45)
    marga = _pool(MARGA).take(pa.array(np.maximum(marga_index, 0)))
    marga = pc.if_else(pa.array(marga_index >= 0), marga, pa.scalar(None, pa.string()))
    return pc.binary_join_element_wise(first, second, marga, " ", null_handling="skip")


def marga_indices(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random marga (index into MARGA) for n persons or households."""
    return rng.integers(0, len(MARGA), size=n)


def addresses(rng: np.random.Generator, n: int) -> pa.Array:
    """Street addresses: "JL. X NO. 12", "GG. AMAL NO. 3"."""
    street = _pick(rng, STREETS, n)
    number = pc.cast(pa.array(rng.integers(1, 250, size=n)), pa.string())
    return pc.binary_join_element_wise(street, "NO.", number, " ")


def sls_names(counts: np.ndarray, is_kota: np.ndarray, word: str) -> np.ndarray:
    """Names of the SLS of each desa, desa after desa: "LINGKUNGAN I", "RW 03", "DUSUN II"."""
    desa = np.repeat(np.arange(counts.shape[0]), counts)
    number = rank_within(desa) + 1
    kota = is_kota[desa]
    roman = np.asarray(ROMAN, dtype=object)[np.minimum(number, len(ROMAN)) - 1]
    if word:
        return (word + " ") + roman
    rw = np.array([f"RW {k:02d}" for k in range(len(ROMAN) + 1)], dtype=object)[number]
    return np.where(kota, rw, "DUSUN " + roman)
