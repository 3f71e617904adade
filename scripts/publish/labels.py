"""Every text of the publication in Indonesian and English: levels, units, measures, notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .deliveries import (
    ABSENT,
    ENTERED,
    EXITED,
    MOVED_DOWN,
    MOVED_UP,
    NON_TARGET,
    REREGISTERED,
    UNCHANGED,
    UNKNOWN_BAND,
)
from .model import ALL, TOTAL, Label


@dataclass(frozen=True)
class Level:
    """A region level of the rows: its name, the dim_region columns and its code length."""

    name: str
    label: Label
    code_column: str
    name_column: str
    code_length: int


LEVELS: dict[str, Level] = {
    "kabupaten": Level(
        "kabupaten", Label("Kabupaten/Kota", "Regency/City"), "regency_code", "regency_name", 4
    ),
    "kecamatan": Level(
        "kecamatan", Label("Kecamatan", "District"), "district_code", "district_name", 7
    ),
    "desa": Level("desa", Label("Desa/Kelurahan", "Village"), "village_code", "village_name", 10),
}

# Lengths of the BPS codes a --region prefix may have: province, kabupaten, kecamatan, desa.
REGION_CODE_LENGTHS = {2: "provinsi", 4: "kabupaten", 7: "kecamatan", 10: "desa"}

CODE_HEADER = Label("Kode BPS", "BPS code")
TOTAL_ROW = Label("Jumlah", "Total")
NATIONAL = Label("Indonesia (nasional)", "Indonesia (national)")
SUPPRESSED_MARK = "x"
NOT_AVAILABLE_MARK = "–"
FLAG_MARK = "*"

UNITS: dict[str, Label] = {
    "households": Label("rumah tangga", "households"),
    "persons": Label("jiwa", "persons"),
    "families": Label("keluarga", "families"),
    "percent": Label("%", "%"),
    "year": Label("tahun", "year"),
    "persons_per_household": Label("jiwa per rumah tangga", "persons per household"),
    "per_100_working_age": Label("per 100 penduduk usia 15-64", "per 100 aged 15-64"),
    "persons_per_poor_person": Label("jiwa BDT per penduduk miskin", "BDT persons per poor person"),
}

PROGRAMS: dict[str, Label] = {
    "pkh": Label("PKH", "PKH"),
    "kks": Label("KKS", "KKS"),
    "kis_pbi": Label("KIS/PBI", "KIS/PBI"),
    "kip": Label("KIP", "KIP"),
    "rastra_bpnt": Label("Rastra/BPNT", "Rastra/BPNT"),
}

ASSETS: dict[str, Label] = {
    "refrigerator": Label("Lemari es", "Refrigerator"),
    "motorcycle": Label("Sepeda motor", "Motorcycle"),
    "gas_cylinder": Label("Tabung gas 5,5 kg atau lebih", "Gas cylinder of 5.5 kg or more"),
    "television": Label("Televisi", "Television"),
    "mobile_phone": Label("Telepon seluler (HP)", "Mobile phone"),
    "land": Label("Lahan di tempat lain", "Land elsewhere"),
    "livestock": Label(
        "Ternak (sapi, kerbau, kuda, babi atau kambing)",
        "Livestock (cattle, buffalo, horse, pig or goat)",
    ),
}

SEXES: dict[str, Label] = {
    "male": Label("laki-laki", "boys"),
    "female": Label("perempuan", "girls"),
    "all": Label("laki-laki dan perempuan", "boys and girls"),
}

MEASURES: dict[str, Label] = {
    "households": Label("Rumah tangga", "Households"),
    "individuals": Label("Individu (anggota rumah tangga)", "Individuals (household members)"),
    "reported_members": Label(
        "Jumlah ART dilaporkan (Jumlah_ART)", "Reported household members (Jumlah_ART)"
    ),
    "mean_household_size": Label("Rata-rata jumlah anggota rumah tangga", "Mean household size"),
    "female_headed": Label("Rumah tangga dengan kepala perempuan", "Female-headed households"),
    "elderly_headed": Label(
        "Rumah tangga dengan kepala berumur 60 tahun ke atas", "Households headed by a person 60+"
    ),
    "dependency_ratio": Label(
        "Rasio ketergantungan (umur <15 dan 65+ per 100 umur 15-64)",
        "Dependency ratio (aged <15 and 65+ per 100 aged 15-64)",
    ),
    "disabled_or_ill_member": Label(
        "Rumah tangga dengan anggota penyandang disabilitas atau berpenyakit kronis",
        "Households with a disabled or chronically ill member",
    ),
    "head_no_diploma": Label("Kepala rumah tangga tanpa ijazah", "Heads with no diploma"),
    "head_working": Label(
        "Kepala rumah tangga yang bekerja seminggu terakhir", "Heads who worked in the past week"
    ),
    "head_sector_agriculture": Label(
        "Sektor kepala yang bekerja: pertanian (lapangan usaha 1-7)",
        "Working head's sector: agriculture (lapangan usaha 1-7)",
    ),
    "head_sector_industry": Label(
        "Sektor kepala yang bekerja: industri (lapangan usaha 8-11)",
        "Working head's sector: industry (lapangan usaha 8-11)",
    ),
    "head_sector_services": Label(
        "Sektor kepala yang bekerja: jasa (lapangan usaha 12-21)",
        "Working head's sector: services (lapangan usaha 12-21)",
    ),
    "children_10_17_working": Label(
        "Anak umur 10-17 tahun yang bekerja", "Children aged 10-17 who work"
    ),
    "earth_floor": Label("Lantai tanah", "Earth floor"),
    "bamboo_or_wood_walls": Label(
        "Dinding kayu atau bambu (dinding 3-6)", "Wood or bamboo walls (dinding 3-6)"
    ),
    "no_pln_electricity": Label("Penerangan bukan listrik PLN", "No PLN electricity for lighting"),
    "unimproved_water": Label(
        "Sumber air minum tidak layak (sumber_airminum 7, 9, 10, 11, 12)",
        "Unimproved drinking water (sumber_airminum 7, 9, 10, 11, 12)",
    ),
    "no_own_toilet": Label(
        "Tidak memiliki fasilitas buang air besar sendiri", "No toilet of their own"
    ),
    "firewood_cooking": Label("Memasak dengan kayu bakar", "Cooking with firewood"),
    "crowded_floor_area": Label(
        "Luas lantai per kapita di bawah 8 m2", "Floor area under 8 m2 per person"
    ),
    "bdt_individuals": Label("Individu BDT", "BDT individuals"),
    "poverty_year": Label("Tahun angka kemiskinan", "Year of the poverty figure"),
    "poor_people": Label("Penduduk miskin (BPS)", "People below the poverty line (BPS)"),
    "poverty_rate": Label("Persentase penduduk miskin (BPS)", "Poverty rate (BPS)"),
    "bdt_individuals_per_poor_person": Label(
        "Individu BDT (desil target) per penduduk miskin",
        "BDT individuals (target desil) per poor person",
    ),
    "bdt_households": Label("Rumah tangga BDT", "BDT households"),
    "bdt_families": Label("Keluarga dalam rumah tangga BDT", "Families in BDT households"),
    "pkh_non_bdt_families": Label("Keluarga PKH non-BDT", "PKH non-BDT families"),
    "all_households": Label(
        "Total rumah tangga (BDT + PKH non-BDT)", "Total households (BDT + PKH non-BDT)"
    ),
    "all_families": Label(
        "Total keluarga (BDT + PKH non-BDT)", "Total families (BDT + PKH non-BDT)"
    ),
}
for _program, _label in PROGRAMS.items():
    MEASURES[f"receives_{_program}"] = Label(
        f"Rumah tangga penerima {_label.id}", f"Households receiving {_label.en}"
    )
    MEASURES[f"coverage_{_program}"] = Label(
        f"Cakupan {_label.id} di desil 1", f"{_label.en} coverage of desil 1"
    )
    MEASURES[f"undercoverage_{_program}"] = Label(
        f"Desil 1 tidak menerima {_label.id} (eksklusi)",
        f"Desil 1 not receiving {_label.en} (exclusion)",
    )
    MEASURES[f"leakage_bdt_{_program}"] = Label(
        f"Rumah tangga BDT penerima {_label.id} di luar desil 1-2 (inklusi di dalam BDT)",
        f"BDT households receiving {_label.en} outside desil 1-2 (inclusion inside the BDT)",
    )
MEASURES["leakage_non_bdt_pkh"] = Label(
    "Penerima PKH di luar BDT: keluarga PKH non-BDT (inklusi di luar BDT)",
    "PKH recipients outside the BDT: PKH non-BDT families (inclusion outside the BDT)",
)
for _asset, _label in ASSETS.items():
    MEASURES[f"owns_{_asset}"] = Label(_label.id, _label.en)
for _ages in ("7_12", "13_15", "16_18"):
    _span = _ages.replace("_", "-")
    for _sex, _label in SEXES.items():
        MEASURES[f"in_school_{_ages}_{_sex}"] = Label(
            f"Partisipasi sekolah umur {_span}, {_label.id}",
            f"School participation aged {_span}, {_label.en}",
        )
for _group in (1, 2, 3):
    MEASURES[f"households_priority_{_group}"] = Label(
        f"Kelompok prioritas {_group}", f"Priority group {_group}"
    )

# The questionnaire's rest (issue #17): own businesses (the KUR view), KB, birth certificates.
SECTOR_GROUP_LABELS: dict[str, Label] = {
    "agriculture": Label("pertanian (lapangan usaha 1-7)", "agriculture (lapangan usaha 1-7)"),
    "industry": Label("industri (lapangan usaha 8-11)", "industry (lapangan usaha 8-11)"),
    "services": Label("jasa (lapangan usaha 12-21)", "services (lapangan usaha 12-21)"),
}
for _group, _label in SECTOR_GROUP_LABELS.items():
    MEASURES[f"own_business_{_group}"] = Label(
        f"Anggota dengan usaha sendiri: {_label.id}",
        f"Members running a business of their own: {_label.en}",
    )
MEASURES["own_business_members"] = Label(
    "Anggota dengan usaha sendiri (semua sektor)",
    "Members running a business of their own (every sector)",
)
MEASURES["family_planning_use_15_49"] = Label(
    "Perempuan kawin umur 15-49 yang memakai alat/cara KB",
    "Married women aged 15-49 using family planning (KB)",
)
MEASURES["birth_certificate_0_17"] = Label(
    "Anak umur 0-17 tahun yang memiliki akta kelahiran",
    "Children aged 0-17 with a birth certificate",
)
NOT_IN_DELIVERY = Label("tidak ada dalam penyerahan ini", "not in this delivery")


def not_in_delivery_note(delivery: str, columns: list[str]) -> Label:
    """Why a table or panel is empty: the delivery's files lack the columns it is made from."""
    names = ", ".join(columns)
    return Label(
        f"Tidak ada dalam penyerahan ini: file penyerahan {delivery} tidak memuat kolom {names} "
        "(ekspor sebelum kuesioner PBDT 2015 lengkap); nilainya tidak diketahui, bukan nol "
        "(marts.dim_delivery.absent_optional_columns).",
        f"Not in this delivery: the files of delivery {delivery} lack the column(s) {names} (an "
        "export made before the full PBDT 2015 questionnaire); the values are unknown, not zero "
        "(marts.dim_delivery.absent_optional_columns).",
    )


PRIORITY_GROUPS: dict[int, Label] = {
    1: Label(
        "1: pasangan dan anggota lain tidak bekerja",
        "1: neither the spouse nor other members work",
    ),
    2: Label(
        "2: hanya pasangan atau hanya anggota lain bekerja",
        "2: only the spouse or only other members work",
    ),
    3: Label("3: pasangan dan anggota lain bekerja", "3: both the spouse and other members work"),
}


def desil_header(desil: str, bands: dict[int, Label]) -> Label:
    """Column header of a desil code: a band of reference.desil_bands, the total or 'all'."""
    if desil == TOTAL:
        return target_total_label(max(bands))
    if desil == ALL:
        return Label("Semua", "All")
    return bands[int(desil)]


def target_desil_label(max_desil: int) -> Label:
    """The target desil: 'desil 1-4 (40% terendah)' for the BDT, 'desil 1-10' for all."""
    share = max_desil * 10
    if share >= 100:
        return Label(f"desil 1-{max_desil}", f"desil 1-{max_desil}")
    return Label(
        f"desil 1-{max_desil} ({share}% terendah)", f"desil 1-{max_desil} (lowest {share}%)"
    )


def target_total_label(max_desil: int) -> Label:
    """Header of the total of the target desil: 'Jumlah desil 1-4 (40% terendah)'."""
    target = target_desil_label(max_desil)
    return Label(f"Jumlah {target.id}", f"Total {target.en}")


def publication_title(max_desil: int) -> Label:
    """The title of the publication, which names its target desil."""
    target = target_desil_label(max_desil)
    return Label(
        f"Tabel {target.id} Basis Data Terpadu (BDT)",
        f"Tables of {target.en} of the Unified Database (BDT)",
    )


def measure_label(measure: str) -> Label:
    return MEASURES[measure]


def unit_label(unit: str) -> Label:
    return UNITS[unit]


# Notes shared by several tables.
SOURCE_NOTE = Label(
    "Sumber: Basis Data Terpadu (BDT) PBDT 2015 dan daftar bayar PKH 2016-2017, gudang data BDT "
    "(bdt.duckdb, skema marts dan reference); diolah.",
    "Source: Unified Database (BDT) PBDT 2015 and PKH payment lists 2016-2017, BDT warehouse "
    "(bdt.duckdb, schemas marts and reference); own calculations.",
)


def desil_note(max_desil: int) -> Label:
    last = f"desil {max_desil} = persentil {max_desil * 10 - 9}-{max_desil * 10}"
    last_en = f"desil {max_desil} = percentile {max_desil * 10 - 9}-{max_desil * 10}"
    return Label(
        "Desil dari persentil kesejahteraan nasional (PMT TNP2K): desil 1 = persentil 1-10 "
        f"(sangat miskin) ... {last}. Rumah tangga non-desil (di atas desil {max_desil} atau "
        "tanpa persentil) dan keluarga PKH non-BDT tidak termasuk, kecuali disebut lain.",
        "Desil from the national welfare percentile (TNP2K proxy means test): desil 1 = "
        f"percentile 1-10 (very poor) ... {last_en}. Non-desil households (above desil "
        f"{max_desil} or unranked) and PKH non-BDT families are left out unless said otherwise.",
    )


SHARE_NOTE = Label(
    "Persentase = pembilang / penyebut (lihat definisi tiap ukuran). Penyebut: unit yang "
    "jawabannya diketahui; unit dengan jawaban tidak diketahui (kosong atau di luar daftar kode) "
    "tidak masuk penyebut dan dihitung tersendiri ('tidak diketahui'). Pertanyaan yang dilewati "
    "menurut kuesioner tidak berlaku (bukan 'tidak diketahui', bukan 'tidak'). Basis (n) di "
    "samping setiap persentase, dalam unit penyebut.",
    "Share = numerator / denominator (see each measure's definition). Denominator: the units "
    "whose answer is known; units with an unknown answer (blank or outside the code list) are "
    "left out of it and counted apart ('unknown'). A question the questionnaire skips is not "
    "applicable (neither 'unknown' nor 'no'). The base (n) beside every share, in the unit of "
    "the denominator.",
)
# Each edition states its own number format: the Indonesian text describes the Indonesian
# edition, the English text the English one.
NUMBERS_NOTE = Label(
    "Angka: titik pemisah ribuan, koma desimal (2.034; 15,1); persentase dibulatkan satu desimal.",
    "Numbers: comma thousands separator, decimal point (2,034; 15.1); shares rounded to one "
    "decimal.",
)
WORKBOOK_NUMBERS_NOTE = Label(
    "Buku kerja: nilai disimpan sebagai angka dengan format angka berlokal Indonesia ([$-421]); "
    "pemisah ribuan dan desimal yang tampil mengikuti pengaturan wilayah (regional settings) "
    "program pembaca.",
    "Workbook: values are stored as numbers with English-locale number formats ([$-409]); the "
    "thousands and decimal separators shown follow the reader's regional settings.",
)


def suppression_note(k: int) -> Label:
    return Label(
        f"x = disembunyikan untuk melindungi kerahasiaan: jumlah di bawah {k}, atau nilai yang "
        f"dihitung dari kurang dari {k} unit atau dari unit milik kurang dari {k} rumah tangga; "
        "basis (n) dan jumlah tidak diketahui dari nilai itu ikut disembunyikan. Pada tabel "
        "jumlah, sel lain pada baris/kolom yang sama ikut disembunyikan agar sel tersebut tidak "
        "dapat dihitung dari total (supresi sekunder). – = tidak tersedia (pembagi nol).",
        f"x = suppressed to protect confidentiality: a count below {k}, or a value computed from "
        f"fewer than {k} units or from the units of fewer than {k} households; its base (n) and "
        "unknown count are suppressed with it. In count tables another cell of the same "
        "row/column is suppressed too so that it cannot be recovered from the totals (secondary "
        "suppression). – = not available (zero denominator).",
    )


def small_base_note(small_base: int) -> Label:
    return Label(
        f"{FLAG_MARK} = dihitung dari kurang dari {small_base} unit (basis n di sampingnya): "
        "kurang tepat, baca dengan hati-hati.",
        f"{FLAG_MARK} = computed from fewer than {small_base} units (the base n beside it): "
        "imprecise, read with care.",
    )


MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_label(day: date) -> Label:
    """A date as each language writes it: '1 Juli 2015', '1 July 2015'."""
    return Label(
        f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}",
        f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}",
    )


def data_dates_note(delivery: str, as_of: date, built: str, published: str) -> Label:
    """The dates of the data: the delivery the marts show and its date (marts.dim_delivery's
    current row; ages are at that date), the warehouse build, the publication."""
    day = date_label(as_of)
    return Label(
        f"Tanggal data: penyerahan {delivery}, tanggal data {day.id} (umur dihitung pada "
        f"tanggal itu); gudang data dibangun {built}; diterbitkan {published}.",
        f"Date of the data: delivery {delivery}, data as of {day.en} (ages at that date); "
        f"warehouse built {built}; published {published}.",
    )


def ages_note(as_of: date) -> Label:
    """Where a table tells ages: at the date of the data."""
    day = date_label(as_of)
    return Label(f"Umur pada tanggal data ({day.id}).", f"Ages at the date of the data ({day.en}).")


UNDERCOVERAGE_NOTE = Label(
    "Eksklusi hanya dilihat di dalam BDT: sebagian besar kesalahan eksklusi berasal dari rumah "
    "tangga yang tidak pernah terdaftar (Bah, Bazzi, Sumarto & Tobias, World Bank WPS8342); "
    "angka ini tidak melihat mereka.",
    "Exclusion is seen only inside the registry: most undercoverage comes from households that "
    "were never registered (Bah, Bazzi, Sumarto & Tobias, World Bank WPS8342), whom these "
    "figures cannot see.",
)


@dataclass(frozen=True)
class Definition:
    """What a published value divides: its numerator and its denominator (None for a count,
    whose numerator is what it counts)."""

    numerator: Label
    denominator: Label | None = None


_TARGET_HOUSEHOLDS = Label(
    "rumah tangga BDT pada sel (wilayah x desil)", "BDT households of the cell (region x desil)"
)


def _known(what_id: str, what_en: str) -> Label:
    return Label(
        f"rumah tangga pada sel yang {what_id} diketahui",
        f"households of the cell whose {what_en} is known",
    )


DEFINITIONS: dict[str, Definition] = {
    "households": Definition(_TARGET_HOUSEHOLDS),
    "individuals": Definition(
        Label(
            "baris anggota rumah tangga tersebut di marts.dim_individual",
            "the member rows of those households in marts.dim_individual",
        )
    ),
    "reported_members": Definition(
        Label("jumlah Jumlah_ART rumah tangga tersebut", "the sum of those households' Jumlah_ART")
    ),
    "mean_household_size": Definition(
        Label("anggota rumah tangga (individu)", "household members (individuals)"),
        _TARGET_HOUSEHOLDS,
    ),
    "female_headed": Definition(
        Label("rumah tangga dengan kepala perempuan", "households whose head is a woman"),
        _known("jenis kelamin kepalanya", "head's sex"),
    ),
    "elderly_headed": Definition(
        Label("rumah tangga dengan kepala berumur 60+", "households whose head is aged 60+"),
        _known("umur kepalanya", "head's age"),
    ),
    "dependency_ratio": Definition(
        Label("anggota berumur <15 atau 65+", "members aged under 15 or 65+"),
        Label("anggota berumur 15-64 (per 100)", "members aged 15-64 (per 100)"),
    ),
    "disabled_or_ill_member": Definition(
        Label(
            "rumah tangga dengan anggota penyandang disabilitas atau berpenyakit kronis",
            "households with a disabled or chronically ill member",
        ),
        Label(
            "rumah tangga pada sel, kecuali yang tanpa anggota demikian tetapi dengan anggota "
            "yang status kesehatannya tidak diketahui",
            "households of the cell, but those with no such member and a member whose health "
            "is unknown",
        ),
    ),
    "head_no_diploma": Definition(
        Label(
            "rumah tangga dengan kepala tanpa ijazah (ijazah 0, atau tidak pernah sekolah)",
            "households whose head has no diploma (diploma 0, or never attended school)",
        ),
        _known(
            "ijazah kepalanya (termasuk tidak pernah sekolah)",
            "head's diploma (never attended school included)",
        ),
    ),
    "head_working": Definition(
        Label("rumah tangga dengan kepala yang bekerja", "households whose head worked"),
        _known("status bekerja kepalanya", "head's work status"),
    ),
    "children_10_17_working": Definition(
        Label(
            "anak 10-17 yang bekerja seminggu terakhir",
            "children 10-17 who worked in the past week",
        ),
        Label(
            "anak 10-17 pada sel yang status bekerjanya diketahui",
            "children 10-17 of the cell whose work status is known",
        ),
    ),
    "earth_floor": Definition(
        Label(
            "rumah tangga berlantai tanah (lantai 9)", "households with an earth floor (lantai 9)"
        ),
        _known("lantainya", "floor"),
    ),
    "bamboo_or_wood_walls": Definition(
        Label(
            "rumah tangga berdinding kayu/bambu (3-6)", "households with wood/bamboo walls (3-6)"
        ),
        _known("dindingnya", "walls"),
    ),
    "no_pln_electricity": Definition(
        Label(
            "rumah tangga dengan penerangan bukan listrik PLN (2, 3)",
            "households lit without PLN electricity (2, 3)",
        ),
        _known("sumber penerangannya", "lighting source"),
    ),
    "unimproved_water": Definition(
        Label(
            "rumah tangga dengan air minum tidak layak (7, 9, 10, 11, 12)",
            "households with unimproved drinking water (7, 9, 10, 11, 12)",
        ),
        _known("sumber air minumnya", "drinking water source"),
    ),
    "no_own_toilet": Definition(
        Label(
            "rumah tangga tanpa fasilitas BAB sendiri (2, 3, 4)",
            "households without a toilet of their own (2, 3, 4)",
        ),
        _known("fasilitas BAB-nya", "toilet facility"),
    ),
    "firewood_cooking": Definition(
        Label("rumah tangga memasak dengan kayu bakar (8)", "households cooking with firewood (8)"),
        _known("bahan bakar memasaknya", "cooking fuel"),
    ),
    "crowded_floor_area": Definition(
        Label(
            "rumah tangga dengan luas lantai < 8 m2 per anggota",
            "households with less than 8 m2 of floor per member",
        ),
        _known("luas lantainya", "floor area"),
    ),
    "bdt_individuals": Definition(
        Label("individu rumah tangga BDT desil target", "members of target-desil BDT households")
    ),
    "poverty_year": Definition(Label("tahun angka BPS", "year of the BPS figure")),
    "poor_people": Definition(
        Label("penduduk miskin (BPS)", "people below the poverty line (BPS)")
    ),
    "poverty_rate": Definition(Label("persentase penduduk miskin (BPS)", "poverty rate (BPS)")),
    "bdt_individuals_per_poor_person": Definition(
        Label("individu BDT desil target", "BDT individuals of the target desil"),
        Label("penduduk miskin (BPS)", "people below the poverty line (BPS)"),
    ),
    "bdt_households": Definition(
        Label("rumah tangga BDT (semua desil)", "BDT households (every desil)")
    ),
    "bdt_families": Definition(
        Label(
            "nomor urut keluarga (NUK) berbeda dalam rumah tangga BDT",
            "distinct family numbers (NUK) within BDT households",
        )
    ),
    "pkh_non_bdt_families": Definition(
        Label("keluarga PKH yang tidak ditemukan di BDT", "PKH families not found in the BDT")
    ),
    "all_households": Definition(
        Label("rumah tangga BDT + keluarga PKH non-BDT", "BDT households + PKH non-BDT families")
    ),
    "all_families": Definition(
        Label("keluarga BDT + keluarga PKH non-BDT", "BDT families + PKH non-BDT families")
    ),
    "leakage_non_bdt_pkh": Definition(
        Label("keluarga PKH non-BDT", "PKH non-BDT families"),
        Label(
            "penerima PKH: rumah tangga BDT penerima PKH dan keluarga PKH non-BDT",
            "PKH recipients: BDT households receiving PKH and PKH non-BDT families",
        ),
    ),
}
for _name, (_sector_id, _sector_en) in {
    "agriculture": ("pertanian (1-7)", "agriculture (1-7)"),
    "industry": ("industri (8-11)", "industry (8-11)"),
    "services": ("jasa (12-21)", "services (12-21)"),
}.items():
    DEFINITIONS[f"head_sector_{_name}"] = Definition(
        Label(f"kepala yang bekerja di sektor {_sector_id}", f"working heads in {_sector_en}"),
        Label(
            "kepala pada sel yang bekerja dan sektornya diketahui",
            "heads of the cell who worked and whose sector is known",
        ),
    )
for _program, _label in PROGRAMS.items():
    _receiving = Label(
        f"rumah tangga dengan catatan menerima {_label.id}",
        f"households with a record of receiving {_label.en}",
    )
    DEFINITIONS[f"receives_{_program}"] = Definition(_receiving, _TARGET_HOUSEHOLDS)
    DEFINITIONS[f"coverage_{_program}"] = Definition(
        _receiving, Label("rumah tangga desil 1 pada wilayah", "desil-1 households of the region")
    )
    DEFINITIONS[f"undercoverage_{_program}"] = Definition(
        Label(
            f"rumah tangga desil 1 tanpa catatan menerima {_label.id}",
            f"desil-1 households with no record of receiving {_label.en}",
        ),
        Label("rumah tangga desil 1 pada wilayah", "desil-1 households of the region"),
    )
    DEFINITIONS[f"leakage_bdt_{_program}"] = Definition(
        Label(
            "penerima di luar desil 1-2 (desil 3+ dan non-desil)",
            "recipients outside desil 1-2 (desil 3+ and non-desil)",
        ),
        Label(
            f"rumah tangga BDT penerima {_label.id} pada wilayah (semua desil)",
            f"BDT households of the region receiving {_label.en} (every desil)",
        ),
    )
for _asset, _label in ASSETS.items():
    DEFINITIONS[f"owns_{_asset}"] = Definition(
        Label(f"rumah tangga yang memiliki: {_label.id}", f"households owning: {_label.en}"),
        _known("kepemilikannya", "ownership"),
    )
for _ages in ("7_12", "13_15", "16_18"):
    _span = _ages.replace("_", "-")
    for _sex, _label in SEXES.items():
        DEFINITIONS[f"in_school_{_ages}_{_sex}"] = Definition(
            Label(
                f"anak umur {_span} ({_label.id}) yang masih sekolah",
                f"{_label.en} aged {_span} still in school",
            ),
            Label(
                f"anak umur {_span} ({_label.id}) pada sel yang partisipasi sekolahnya diketahui",
                f"{_label.en} aged {_span} of the cell whose school participation is known",
            ),
        )
for _group, _label in SECTOR_GROUP_LABELS.items():
    DEFINITIONS[f"own_business_{_group}"] = Definition(
        Label(
            f"anggota rumah tangga BDT pada sel yang menjalankan usaha sendiri di {_label.id} "
            "(lapangan_usahaART; ditanyakan kepada yang bekerja)",
            f"members of the cell's BDT households running a business of their own in "
            f"{_label.en} (lapangan_usahaART; asked of those who worked)",
        )
    )
DEFINITIONS["own_business_members"] = Definition(
    Label(
        "anggota rumah tangga BDT pada sel yang menjalankan usaha sendiri (semua sektor)",
        "members of the cell's BDT households running a business of their own (every sector)",
    )
)
DEFINITIONS["family_planning_use_15_49"] = Definition(
    Label(
        "perempuan kawin umur 15-49 yang memakai alat/cara KB (Sta_KB = 1)",
        "married women aged 15-49 using a KB method (Sta_KB = 1)",
    ),
    Label(
        "perempuan kawin umur 15-49 pada sel yang jawaban KB-nya diketahui",
        "married women aged 15-49 of the cell whose KB answer is known",
    ),
)
DEFINITIONS["birth_certificate_0_17"] = Definition(
    Label(
        "anak umur 0-17 yang memiliki akta kelahiran (Ada_kartu_identitas, bit 1)",
        "children aged 0-17 with a birth certificate (Ada_kartu_identitas, bit 1)",
    ),
    Label(
        "anak umur 0-17 pada sel yang kepemilikan dokumennya diketahui",
        "children aged 0-17 of the cell whose documents are known",
    ),
)
for _group in (1, 2, 3):
    DEFINITIONS[f"households_priority_{_group}"] = Definition(
        Label(
            f"rumah tangga desil 1 pada kelompok prioritas {_group}",
            f"desil-1 households in priority group {_group}",
        )
    )


# -- Deliveries: what changed between the two latest, households by delivery, freshness ------
# The kinds of change are decided in deliveries.change_kind; their texts are here, once.
CATEGORY_LABELS: dict[str, Label] = {
    NON_TARGET: Label("Di luar desil target", "Outside the target desil"),
    ABSENT: Label("Tidak ada di penyerahan", "Not in the delivery"),
}
CHANGE_DEFINITIONS: dict[str, tuple[Label, Label]] = {
    # kind: (name, definition)
    ENTERED: (
        Label("Masuk", "Entered"),
        Label(
            "rumah tangga pada penyerahan terakhir yang tidak ada pada penyerahan sebelumnya "
            "(baru, kembali, atau pecahan rumah tangga lain); kolom desil: desilnya sekarang",
            "households of the latest delivery not in the previous one (new, returned, or "
            "split from another household); desil column: their desil now",
        ),
    ),
    EXITED: (
        Label("Keluar", "Exited"),
        Label(
            "rumah tangga pada penyerahan sebelumnya yang tidak ada lagi pada penyerahan terakhir",
            "households of the previous delivery no longer in the latest",
        ),
    ),
    MOVED_UP: (
        Label("Naik desil (lebih sejahtera)", "Moved up (higher desil: better off)"),
        Label(
            "rumah tangga pada kedua penyerahan yang pindah ke desil lebih tinggi, atau keluar "
            "dari desil target",
            "households in both deliveries now in a higher desil, or out of the target desil",
        ),
    ),
    MOVED_DOWN: (
        Label("Turun desil", "Moved down (lower desil)"),
        Label(
            "rumah tangga pada kedua penyerahan yang pindah ke desil lebih rendah, atau masuk "
            "ke desil target dari luar",
            "households in both deliveries now in a lower desil, or into the target desil from "
            "outside it",
        ),
    ),
    UNCHANGED: (
        Label("Desil tetap", "Desil unchanged"),
        Label(
            "rumah tangga pada kedua penyerahan dengan kategori desil yang sama",
            "households in both deliveries in the same desil category",
        ),
    ),
    REREGISTERED: (
        Label(
            "Didaftarkan ulang dengan ID baru (di antara yang di atas)",
            "Re-registered under a new ID (of which)",
        ),
        Label(
            "rumah tangga penyerahan terakhir yang merupakan rumah tangga penyerahan "
            "sebelumnya dengan ID baru (delivery_status 'reregistered'); sudah terhitung pada "
            "naik, turun atau tetap",
            "households of the latest delivery that are a household of the previous one under "
            "a new ID (delivery_status 'reregistered'); already counted as moved up, down or "
            "unchanged",
        ),
    ),
}
for _kind, (_name, _definition) in CHANGE_DEFINITIONS.items():
    MEASURES[_kind] = _name
    DEFINITIONS[_kind] = Definition(_definition)
MEASURES["moved_between_desil"] = Label("Pindah desil", "Moved between desil")
DEFINITIONS["moved_between_desil"] = Definition(
    Label(
        "rumah tangga pada kedua penyerahan, dari kategori desil baris ke kategori kolom",
        "households in both deliveries, from the category of the row to that of the column",
    )
)
MEASURES["households_by_delivery"] = Label(
    "Rumah tangga pada penyerahan", "Households in the delivery"
)
DEFINITIONS["households_by_delivery"] = Definition(
    Label(
        "rumah tangga penyerahan (marts.fct_household_deliveries) menurut desil; kode kolom "
        "desil = <penyerahan>:<desil>",
        "households of the delivery (marts.fct_household_deliveries) by desil; desil column "
        "code = <delivery>:<desil>",
    )
)
MEASURES["households_by_months_since_change"] = Label(
    "Rumah tangga menurut bulan sejak perubahan terakhir",
    "Households by months since their last change",
)
DEFINITIONS["households_by_months_since_change"] = Definition(
    Label(
        "rumah tangga penyerahan terakhir menurut months_since_change "
        "(marts.fct_household_freshness); 24 bulan atau lebih: perlu diverifikasi ulang",
        "households of the latest delivery by months_since_change "
        "(marts.fct_household_freshness); 24 months or more: due for re-verification",
    )
)
FRESHNESS_LABELS: dict[str, Label] = {
    "0_11": Label("0-11 bulan", "0-11 months"),
    "12_23": Label("12-23 bulan", "12-23 months"),
    "24_plus": Label(
        "24 bulan atau lebih (perlu verifikasi ulang)",
        "24 months or more (due for re-verification)",
    ),
    UNKNOWN_BAND: Label("tidak diketahui", "unknown"),
}
ALL_HOUSEHOLDS_HEADER = Label("Jumlah (semua kategori)", "Total (every category)")


def category_label(category: str, bands: dict[int, Label]) -> Label:
    """A desil category's header: a target desil band, outside the target, absent, total."""
    if category in CATEGORY_LABELS:
        return CATEGORY_LABELS[category]
    if category == TOTAL:
        return ALL_HOUSEHOLDS_HEADER
    return bands[int(category)]


def delivery_label(delivery: str, as_of: date) -> Label:
    day = date_label(as_of)
    return Label(f"Penyerahan {delivery} ({day.id})", f"Delivery {delivery} ({day.en})")


def one_delivery_note(delivery: str) -> Label:
    return Label(
        f"Gudang data hanya memuat satu penyerahan ({delivery}): belum ada perubahan antara "
        "dua penyerahan untuk ditampilkan.",
        f"The warehouse holds one delivery only ({delivery}): there is no change between two "
        "deliveries to show yet.",
    )


TABLE_1_SHARED_NOTE = Label(
    "Kolom desil target penyerahan terakhir sama dengan Tabel 1 dan disupresi bersama.",
    "The target-desil columns of the latest delivery are Table 1's and are suppressed with it.",
)
TABLE_1_DIFFERS_NOTE = Label(
    "Perhatian: rumah tangga penyerahan terakhir (marts.fct_household_deliveries) berbeda dari "
    "Tabel 1 (marts.dim_household).",
    "Note: the latest delivery's households (marts.fct_household_deliveries) differ from Table 1 "
    "(marts.dim_household).",
)
NO_HISTORY_NOTE = Label(
    "Gudang data ini tidak memuat riwayat penyerahan (marts.fct_household_deliveries, "
    "marts.fct_household_freshness): tabel ini kosong.",
    "This warehouse holds no delivery history (marts.fct_household_deliveries, "
    "marts.fct_household_freshness): this table is empty.",
)


def changes_note(previous: str, latest: str) -> Label:
    return Label(
        f"Perubahan antara penyerahan {previous} dan {latest}. Setiap rumah tangga dihitung "
        "sekali: menurut wilayah dan kategori desilnya pada penyerahan sebelumnya, atau, bila "
        "masuk, pada penyerahan terakhir. Rumah tangga dikaitkan melalui household_key yang "
        "sama, atau predecessor_household_key bila didaftarkan ulang. Non-desil (di atas desil "
        "target atau tanpa persentil) dianggap lebih tinggi dari desil target.",
        f"Changes between deliveries {previous} and {latest}. Each household is counted once: "
        "by its region and desil category in the previous delivery, or, when it entered, in "
        "the latest. Households are linked by the same household_key, or by "
        "predecessor_household_key when re-registered. Non-target (above the target desil or "
        "unranked) counts as higher than every target desil.",
    )


def definition_note(measure: str) -> Label:
    """A measure's definition as a note: its numerator and, for a computed value, its
    denominator (DEFINITIONS)."""
    name = MEASURES[measure]
    definition = DEFINITIONS[measure]
    if definition.denominator is None:
        return Label(
            f"{name.id}: {definition.numerator.id}.", f"{name.en}: {definition.numerator.en}."
        )
    return Label(
        f"{name.id}: pembilang = {definition.numerator.id}; penyebut = "
        f"{definition.denominator.id}.",
        f"{name.en}: numerator = {definition.numerator.en}; denominator = "
        f"{definition.denominator.en}.",
    )


# Headers of the columns beside a computed value: its base and the units left out as unknown.
def base_header(base_unit: str) -> Label:
    return Label(f"n ({UNITS[base_unit].id})", f"n ({UNITS[base_unit].en})")


UNKNOWN_HEADER = Label("tidak diketahui", "unknown")

# Headings and texts of the workbook and the report.
NOTES_HEADING = Label("Catatan", "Notes")
DEFINITIONS_HEADING = Label(
    "Definisi: pembilang dan penyebut setiap ukuran", "Definitions: numerator and denominator"
)
CONTENTS_HEADING = Label("Daftar isi", "Contents")
SHEET_HEADER = Label("Lembar", "Sheet")
TITLE_HEADER = Label("Judul", "Title")
TABLE_WORD = Label("Tabel", "Table")
SUMMARY_HEADING = Label("Ringkasan", "Summary")
GENERAL_NOTES_HEADING = Label("Catatan umum", "General notes")
WAREHOUSE_WORD = Label("Gudang data", "Warehouse")
# The link from an edition to the other one: the Indonesian edition points at the English.
OTHER_EDITION = Label("English edition", "Edisi bahasa Indonesia")
RECONCILIATION_HEADING = Label(
    "Kualitas data: tidak ada baris yang hilang (seluruh gudang data, quality.dq_reconciliation)",
    "Data quality: no row lost (whole warehouse, quality.dq_reconciliation)",
)
RECONCILIATION_HEADERS = (
    Label("Tabel mentah", "Raw table"),
    Label("Baris mentah", "Raw rows"),
    Label("Di marts", "In the marts"),
    Label("Dikarantina", "Quarantined"),
    Label("Rekonsiliasi", "Reconciled"),
)
RECONCILED = {True: Label("ya", "yes"), False: Label("TIDAK", "NO")}


def machine_tables_note(workbook: str) -> Label:
    return Label(
        f"Tabel mesin (format panjang, angka format mesin): folder tables/; buku kerja Excel: "
        f"{workbook}.",
        f"Machine-readable tables (long format, machine number format): folder tables/; Excel "
        f"workbook: {workbook}.",
    )
