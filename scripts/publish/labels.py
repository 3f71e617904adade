"""Every text of the publication in Indonesian and English: levels, units, measures, notes."""

from __future__ import annotations

from dataclasses import dataclass

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

PUBLICATION_TITLE = Label(
    "Tabel 40% terendah Basis Data Terpadu (BDT)",
    "Tables of the 40% lowest of the Unified Database (BDT)",
)
CODE_HEADER = Label("Kode BPS", "BPS code")
TOTAL_ROW = Label("Jumlah", "Total")
NATIONAL = Label("Indonesia (nasional)", "Indonesia (national)")
SUPPRESSED_MARK = "x"
NOT_AVAILABLE_MARK = "–"

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
    MEASURES[f"leakage_{_program}"] = Label(
        f"Penerima {_label.id} di luar desil 1-2 (inklusi/kebocoran)",
        f"{_label.en} recipients outside desil 1-2 (inclusion/leakage)",
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


def target_total_label(max_desil: int) -> Label:
    """Header of the total of the target desil: 'Total 40% terendah' for desil 1-4."""
    share = max_desil * 10
    if share >= 100:
        return Label(f"Jumlah desil 1-{max_desil}", f"Total desil 1-{max_desil}")
    return Label(
        f"Jumlah desil 1-{max_desil} ({share}% terendah)",
        f"Total desil 1-{max_desil} (lowest {share}%)",
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
DESIL_NOTE = Label(
    "Desil dari persentil kesejahteraan nasional (PMT TNP2K): desil 1 = persentil 1-10 (sangat "
    "miskin) ... desil 4 = persentil 31-40. Rumah tangga non-desil (di atas desil target atau "
    "tanpa persentil) dan keluarga PKH non-BDT tidak termasuk, kecuali disebut lain.",
    "Desil from the national welfare percentile (TNP2K proxy means test): desil 1 = percentile "
    "1-10 (very poor) ... desil 4 = percentile 31-40. Non-desil households (above the target "
    "desil or unranked) and PKH non-BDT families are left out unless said otherwise.",
)
SHARE_NOTE = Label(
    "Persentase dihitung dari seluruh unit sel (rumah tangga atau individu pada kelompok umur); "
    "nilai yang tidak diketahui dihitung sebagai 'tidak'.",
    "Shares are computed over every unit of the cell (households, or individuals of the age "
    "group); unknown values count as 'no'.",
)
NUMBERS_NOTE = Label(
    "Angka: koma pemisah ribuan, titik desimal; persentase dibulatkan satu desimal.",
    "Numbers: comma thousands separator, decimal point; shares rounded to one decimal.",
)


def suppression_note(k: int) -> Label:
    return Label(
        f"x = disembunyikan untuk melindungi kerahasiaan: jumlah di bawah {k}, atau nilai yang "
        f"dihitung dari kurang dari {k} unit; pada tabel jumlah, sel lain pada baris/kolom yang "
        "sama ikut disembunyikan agar sel tersebut tidak dapat dihitung dari total (supresi "
        f"sekunder). – = tidak tersedia (pembagi nol).",
        f"x = suppressed to protect confidentiality: a count below {k}, or a value computed from "
        f"fewer than {k} units; in count tables another cell of the same row/column is suppressed "
        "too so that it cannot be recovered from the totals (secondary suppression). – = not "
        "available (zero denominator).",
    )


UNDERCOVERAGE_NOTE = Label(
    "Eksklusi hanya dilihat di dalam BDT: sebagian besar kesalahan eksklusi berasal dari rumah "
    "tangga yang tidak pernah terdaftar (Bah, Bazzi, Sumarto & Tobias, World Bank WPS8342); "
    "angka ini tidak melihat mereka.",
    "Exclusion is seen only inside the registry: most undercoverage comes from households that "
    "were never registered (Bah, Bazzi, Sumarto & Tobias, World Bank WPS8342), whom these "
    "figures cannot see.",
)
