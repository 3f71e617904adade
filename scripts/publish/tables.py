"""The publication tables, one function each, computed from the warehouse extract. Each returns
a Table whose cells are tidy (one row per region x desil x measure) and not yet suppressed."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from . import labels
from .aggregate import (
    Measure,
    between,
    desil_codes,
    desil_panels,
    desil_relations,
    differs,
    equals,
    household_cells,
    in_target_desil,
    measure_cells,
    member_cells,
    share,
    sums_by_region,
)
from .labels import MEASURES, PROGRAMS, Label
from .model import (
    ALL,
    CELL_COLUMNS,
    COUNT,
    MEAN,
    RATIO,
    REFERENCE,
    TOTAL,
    Column,
    Panel,
    Table,
    cell_key,
)
from .warehouse import ASSET_CODES, Extract

# Leakage is measured against desil 1-2 (the poor and the near poor), whatever the target.
LEAKAGE_TARGET_DESIL = (1, 2)
SCHOOL_AGES = ((7, 12), (13, 15), (16, 18))
SECTORS = {"agriculture": (1, 7), "industry": (8, 11), "services": (12, 21)}
UNIMPROVED_WATER = (7, 9, 10, 11, 12)
BAMBOO_OR_WOOD_WALLS = (3, 4, 5, 6)
EARTH_FLOOR = 9
FIREWOOD = 8
CROWDED_M2_PER_PERSON = 8.0
# bps_code of the national row of reference.poverty_figures (no BPS province has code 00).
NATIONAL_CODE = "00"


# -- the tables ---------------------------------------------------------------------------------


def households_table(extract: Extract) -> Table:
    """1. Households and individuals by region and desil."""
    measures = [
        Measure("households", "households"),
        Measure("individuals", "members", unit="persons", base="households"),
    ]
    cells = household_cells(extract, {"members": lambda h: h["member_count"]}, measures)
    return Table(
        1,
        "households",
        Label(
            "Rumah tangga dan individu menurut wilayah dan desil",
            "Households and individuals by region and desil",
        ),
        cells,
        desil_panels(measures, extract),
        notes=(
            Label(
                "Individu: anggota rumah tangga yang lolos pemeriksaan kualitas data (baris "
                "yatim dan NIK ganda dikarantina).",
                "Individuals: household members that passed the data quality checks (orphan "
                "rows and duplicate NIKs are quarantined).",
            ),
        ),
        row_relations=desil_relations(measures, extract),
        linked=tuple(
            (cell_key("households", desil), cell_key("individuals", desil))
            for desil in [*desil_codes(extract), TOTAL]
        ),
    )


def demography_table(extract: Extract) -> Table:
    """2. Demography: household size, female and elderly heads, dependency, disability."""
    indicators = {
        "members": lambda h: h["member_count"].fillna(0),
        "female_head": lambda h: equals(h["head_sex_code"], 2),
        "elderly_head": lambda h: (h["head_age"] >= 60).fillna(False).astype(float),
        "dependents": lambda h: h["dependent_count"].fillna(0),
        "working_age": lambda h: h["working_age_count"].fillna(0),
        "disabled_or_ill": lambda h: (
            (h["disabled_member_count"].fillna(0) > 0)
            | (h["chronically_ill_member_count"].fillna(0) > 0)
        ).astype(float),
    }
    measures = [
        Measure("mean_household_size", "members", "households", MEAN, "persons_per_household", 1),
        share("female_headed", "female_head"),
        share("elderly_headed", "elderly_head"),
        Measure(
            "dependency_ratio",
            "dependents",
            "working_age",
            RATIO,
            "per_100_working_age",
            base="households",
        ),
        share("disabled_or_ill_member", "disabled_or_ill"),
    ]
    return Table(
        2,
        "demography",
        Label("Demografi rumah tangga", "Household demography"),
        household_cells(extract, indicators, measures),
        desil_panels(measures, extract),
        notes=(
            Label(
                "Umur pada tanggal referensi pendataan (1 Juli 2015). Kepala: anggota pertama "
                "dengan hubungan 1 (kepala rumah tangga).",
                "Ages at the enumeration reference date (1 July 2015). Head: the first member "
                "with relation 1 (household head).",
            ),
            labels.SHARE_NOTE,
        ),
    )


def education_table(extract: Extract) -> Table:
    """3. Education: school participation of children by age and sex; heads without diploma."""
    groups: dict[str, Callable] = {}
    measures: list[Measure] = []
    for low, high in SCHOOL_AGES:
        for sex, codes in (("male", (1,)), ("female", (2,)), ("all", None)):
            name = f"{low}_{high}_{sex}"

            def in_group(
                m: pd.DataFrame, low: int = low, high: int = high, codes: tuple | None = codes
            ) -> pd.Series:
                ages = between(m["age_years"], low, high)
                return ages if codes is None else ages * equals(m["sex_code"], *codes)

            def in_school(m: pd.DataFrame, in_group: Callable = in_group) -> pd.Series:
                return in_group(m) * m["in_school"].astype(float)

            groups[f"children_{name}"] = in_group
            groups[f"in_school_{name}"] = in_school
            measures.append(
                share(f"in_school_{name}", f"in_school_{name}", f"children_{name}", "percent")
            )
    member_part = member_cells(extract, groups, measures)
    head_measure = share("head_no_diploma", "no_diploma")
    head_part = household_cells(
        extract, {"no_diploma": lambda h: equals(h["head_diploma_code"], 0)}, [head_measure]
    )
    return Table(
        3,
        "education",
        Label("Pendidikan", "Education"),
        pd.concat([member_part, head_part], ignore_index=True),
        desil_panels([*measures, head_measure], extract),
        notes=(
            Label(
                "Partisipasi sekolah: persentase anak pada kelompok umur yang masih bersekolah "
                "(partisipasi sekolah = 1). Umur pada 1 Juli 2015.",
                "School participation: share of the children of the age group still in school "
                "(school participation code 1). Ages at 1 July 2015.",
            ),
            Label(
                "Kepala tanpa ijazah: ijazah tertinggi = 0, dari seluruh rumah tangga.",
                "Heads with no diploma: highest diploma code 0, over all households.",
            ),
        ),
    )


def work_table(extract: Extract) -> Table:
    """4. Work: heads working, their sector, children 10-17 working."""

    def head_sector(low: int, high: int) -> Callable:
        return lambda h: (
            equals(h["head_worked_code"], 1) * between(h["head_business_sector_code"], low, high)
        )

    indicators: dict[str, Callable] = {
        "head_working": lambda h: equals(h["head_worked_code"], 1),
        "head_working_with_sector": lambda h: (
            equals(h["head_worked_code"], 1) * between(h["head_business_sector_code"], 1, 21)
        ),
    }
    indicators.update({f"sector_{name}": head_sector(*span) for name, span in SECTORS.items()})
    head_measures = [share("head_working", "head_working")] + [
        share(f"head_sector_{name}", f"sector_{name}", "head_working_with_sector")
        for name in SECTORS
    ]
    child_measure = share("children_10_17_working", "working", "children", "percent")
    child_part = member_cells(
        extract,
        {
            "children": lambda m: between(m["age_years"], 10, 17),
            "working": lambda m: between(m["age_years"], 10, 17) * m["worked"].astype(float),
        },
        [child_measure],
    )
    return Table(
        4,
        "work",
        Label("Pekerjaan", "Work"),
        pd.concat(
            [household_cells(extract, indicators, head_measures), child_part], ignore_index=True
        ),
        desil_panels([*head_measures, child_measure], extract),
        notes=(
            Label(
                "Bekerja: bekerja seminggu terakhir (status bekerja = 1). Sektor: persentase "
                "kepala yang bekerja dengan lapangan usaha diketahui; pertanian = 1-7, industri "
                "= 8-11, jasa = 12-21.",
                "Working: worked in the past week (sta_bekerja = 1). Sector: share of the "
                "working heads with a known sector; agriculture = lapangan usaha 1-7, industry "
                "= 8-11, services = 12-21.",
            ),
            Label(
                "Anak bekerja: persentase anggota umur 10-17 tahun yang bekerja seminggu terakhir.",
                "Children working: share of the members aged 10-17 who worked in the past week.",
            ),
        ),
    )


def housing_table(extract: Extract) -> Table:
    """5. Housing conditions."""
    indicators = {
        "earth_floor": lambda h: equals(h["floor_material_code"], EARTH_FLOOR),
        "bamboo_or_wood_walls": lambda h: equals(h["wall_material_code"], *BAMBOO_OR_WOOD_WALLS),
        "no_pln_electricity": lambda h: differs(h["lighting_source_code"], 1),
        "unimproved_water": lambda h: equals(h["drinking_water_source_code"], *UNIMPROVED_WATER),
        "no_own_toilet": lambda h: differs(h["toilet_facility_code"], 1),
        "firewood_cooking": lambda h: equals(h["cooking_fuel_code"], FIREWOOD),
        "crowded_floor_area": lambda h: (
            (h["floor_area_per_member_m2"] < CROWDED_M2_PER_PERSON).fillna(False).astype(float)
        ),
    }
    measures = [share(name, name) for name in indicators]
    return Table(
        5,
        "housing",
        Label("Kondisi perumahan", "Housing conditions"),
        household_cells(extract, indicators, measures),
        desil_panels(measures, extract),
        notes=(
            Label(
                "Air minum tidak layak: sumur tak terlindung (7), mata air tak terlindung (9), "
                "air sungai/danau/waduk (10), air hujan (11), lainnya (12). Air hujan dihitung "
                "tidak layak seperti pada tabulasi BDT, berbeda dengan JMP WHO/UNICEF.",
                "Unimproved drinking water: unprotected well (7), unprotected spring (9), "
                "river/lake/reservoir (10), rainwater (11), other (12). Rainwater counts as "
                "unimproved as in BDT tabulations, unlike the WHO/UNICEF JMP ladder.",
            ),
            Label(
                "Lantai tanah: lantai = 9. Dinding: kayu, anyaman bambu, batang kayu, bambu "
                "(3-6). Bukan listrik PLN: sumber penerangan 2 atau 3. Tanpa fasilitas BAB "
                "sendiri: 2 (bersama), 3 (umum), 4 (tidak ada). Luas lantai per kapita: luas "
                "lantai / anggota rumah tangga.",
                "Earth floor: lantai 9. Walls: wood, woven bamboo, logs, bamboo (3-6). No PLN "
                "electricity: lighting source 2 or 3. No own toilet: shared (2), public (3) or "
                "none (4). Floor area per person: floor area / household members.",
            ),
            labels.SHARE_NOTE,
        ),
    )


def assets_table(extract: Extract) -> Table:
    """6. Assets owned."""
    codes = [*ASSET_CODES, "livestock"]
    indicators = {
        f"owns_{code}": (lambda h, c=code: h[f"owns_{c}"].astype(float)) for code in codes
    }
    measures = [share(name, name) for name in indicators]
    return Table(
        6,
        "assets",
        Label("Kepemilikan aset", "Assets owned"),
        household_cells(extract, indicators, measures),
        desil_panels(measures, extract),
        notes=(
            Label(
                "Dari marts.fct_household_assets. Ternak: memiliki sapi, kerbau, kuda, babi "
                "atau kambing (jumlah > 0).",
                "From marts.fct_household_assets. Livestock: owns cattle, buffalo, horses, pigs "
                "or goats (number > 0).",
            ),
            labels.SHARE_NOTE,
        ),
    )


def programs_table(extract: Extract) -> Table:
    """7. Programs: receipt by desil, and the targeting view (coverage of desil 1, leakage)."""
    indicators = {
        f"receives_{program}": (lambda h, p=program: h[f"receives_{p}"].astype(float))
        for program in PROGRAMS
    }
    receipt = [share(name, name) for name in indicators]
    by_desil = household_cells(extract, indicators, receipt)

    regions = list(extract.regions["region_code"])
    desil_1 = in_target_desil(extract.households)
    desil_1 = desil_1[desil_1["desil"] == "1"]
    coverage_sums = sums_by_region(
        desil_1.assign(households=1.0, **{n: rule(desil_1) for n, rule in indicators.items()}),
        ["households", *indicators],
        regions,
    )
    coverage = measure_cells(
        coverage_sums,
        [share(f"coverage_{program}", f"receives_{program}") for program in PROGRAMS],
        extract,
        desil="1",
    )
    undercoverage = coverage.assign(
        measure=coverage["measure"].str.replace("coverage_", "undercoverage_"),
        value=100.0 - coverage["value"],
    )
    bdt = extract.households[extract.households["household_source"] == "BDT"]
    outside = (~bdt["desil"].isin(LEAKAGE_TARGET_DESIL)).astype(float)
    leakage_columns = {}
    for program in PROGRAMS:
        receives = bdt[f"receives_{program}"].astype(float)
        leakage_columns[f"recipients_{program}"] = receives
        leakage_columns[f"outside_{program}"] = receives * outside
    leakage = measure_cells(
        sums_by_region(bdt.assign(**leakage_columns), list(leakage_columns), regions),
        [
            share(f"leakage_{program}", f"outside_{program}", f"recipients_{program}")
            for program in PROGRAMS
        ],
        extract,
        desil=ALL,
    )
    targeting_panels = tuple(
        Panel(
            title,
            "percent",
            tuple(
                Column(desil, f"{prefix}_{program}", label) for program, label in PROGRAMS.items()
            ),
        )
        for prefix, desil, title in (
            (
                "coverage",
                "1",
                Label(
                    "Cakupan: % rumah tangga desil 1 yang menerima",
                    "Coverage: % of desil-1 households receiving",
                ),
            ),
            (
                "undercoverage",
                "1",
                Label(
                    "Eksklusi: % rumah tangga desil 1 yang tidak menerima",
                    "Exclusion (undercoverage): % of desil-1 households not receiving",
                ),
            ),
            (
                "leakage",
                ALL,
                Label(
                    "Inklusi (kebocoran): % penerima di BDT di luar desil 1-2",
                    "Inclusion (leakage): % of BDT recipients outside desil 1-2",
                ),
            ),
        )
    )
    return Table(
        7,
        "programs",
        Label("Penerima program dan ketepatan sasaran", "Program receipt and targeting"),
        pd.concat([by_desil, coverage, undercoverage, leakage], ignore_index=True),
        desil_panels(receipt, extract) + targeting_panels,
        notes=(
            Label(
                "Menerima: rumah tangga dengan catatan program di data (tanda program BDT "
                "2015-2017 atau daftar bayar PKH 2016-2017); Rastra dan BPNT digabung.",
                "Receiving: households with a record of the program in the data (BDT program "
                "flags 2015-2017 or the PKH payment lists 2016-2017); Rastra and BPNT together.",
            ),
            Label(
                "Cakupan desil 1 = % rumah tangga desil 1 yang menerima; eksklusi = 100 - "
                "cakupan. Kebocoran = % penerima yang berada di luar desil 1-2, dihitung atas "
                "seluruh rumah tangga BDT (termasuk desil 3-4 dan non-desil; keluarga PKH "
                "non-BDT yang tidak berperingkat tidak termasuk).",
                "Coverage of desil 1 = % of desil-1 households receiving; exclusion = 100 - "
                "coverage. Leakage = % of recipients outside desil 1-2, over all BDT households "
                "(desil 3-4 and non-desil included; unranked PKH non-BDT families left out).",
            ),
            labels.UNDERCOVERAGE_NOTE,
        ),
    )


def poverty_table(extract: Extract) -> Table:
    """8. BDT individuals beside the BPS poor population, where a figure is known."""
    prefixes = extract.selection.prefixes
    households = in_target_desil(extract.households)

    def in_selection(code: str) -> bool:
        if code == NATIONAL_CODE:
            return not prefixes
        inside = not prefixes or any(code.startswith(prefix) for prefix in prefixes)
        return inside and bool(extract.households["village_code"].str.startswith(code).any())

    figures = extract.poverty[extract.poverty["bps_code"].map(in_selection).astype(bool)]
    desils = desil_codes(extract)
    frames = []
    for figure in figures.itertuples(index=False):
        national = figure.bps_code == NATIONAL_CODE
        if national:
            mine = households if extract.covers_the_nation else households.iloc[0:0]
        else:
            mine = households[households["village_code"].str.startswith(figure.bps_code)]
        by_desil = mine.groupby("desil")["member_count"].sum()
        counts = {desil: float(by_desil.get(desil, 0)) for desil in desils}
        counts[TOTAL] = float(mine["member_count"].sum())
        household_counts = mine.groupby("desil").size()
        bases = {desil: float(household_counts.get(desil, 0)) for desil in desils}
        bases[TOTAL] = float(len(mine))
        available = not national or extract.covers_the_nation
        rows = [
            (
                "bdt_individuals",
                desil,
                counts[desil] if available else np.nan,
                "persons",
                bases[desil],
                COUNT,
            )
            for desil in [*desils, TOTAL]
        ]
        rows += [
            ("poverty_year", ALL, float(figure.year), "year", np.nan, REFERENCE),
            ("poor_people", ALL, float(figure.poor_people), "persons", np.nan, REFERENCE),
            ("poverty_rate", ALL, float(figure.poverty_rate_pct), "percent", np.nan, REFERENCE),
            (
                "bdt_individuals_per_poor_person",
                TOTAL,
                counts[TOTAL] / figure.poor_people if available else np.nan,
                "persons_per_poor_person",
                bases[TOTAL],
                RATIO,
            ),
        ]
        frames.append(
            pd.DataFrame(
                rows, columns=["measure", "desil", "value", "unit", "base", "kind"]
            ).assign(
                region_level=figure.region_level,
                region_code=figure.bps_code,
                region_name=labels.NATIONAL.both() if national else figure.region_name,
            )
        )
    cells = (
        pd.concat(frames, ignore_index=True)[CELL_COLUMNS]
        if frames
        else pd.DataFrame(columns=CELL_COLUMNS)
    )
    panel_columns = (
        *(
            Column(desil, "bdt_individuals", labels.desil_header(desil, extract.bands))
            for desil in [*desils, TOTAL]
        ),
        Column(ALL, "poverty_year", MEASURES["poverty_year"]),
        Column(ALL, "poor_people", MEASURES["poor_people"]),
        Column(ALL, "poverty_rate", Label("Persentase penduduk miskin (%)", "Poverty rate (%)")),
        Column(
            TOTAL, "bdt_individuals_per_poor_person", MEASURES["bdt_individuals_per_poor_person"]
        ),
    )
    sources = tuple(
        Label(
            f"{figure.region_name} ({figure.bps_code}): {figure.poor_people:,} penduduk miskin, "
            f"{figure.poverty_rate_pct:.2f}%, {figure.year}; sumber: {figure.source}.",
            f"{figure.region_name} ({figure.bps_code}): {figure.poor_people:,} poor people, "
            f"{figure.poverty_rate_pct:.2f}%, {figure.year}; source: {figure.source}.",
        )
        for figure in figures.itertuples(index=False)
    )
    return Table(
        8,
        "bdt_and_poverty",
        Label(
            "Individu BDT dan penduduk miskin (BPS)",
            "BDT individuals beside the poor population (BPS)",
        ),
        cells,
        (
            Panel(
                Label(
                    "Individu BDT menurut desil dan penduduk miskin",
                    "BDT individuals by desil and people below the poverty line",
                ),
                "persons",
                panel_columns,
            ),
        ),
        notes=(
            Label(
                "BDT bukan data kemiskinan: BDT memuat 40% penduduk dengan status sosial "
                "ekonomi terendah, kira-kira empat kali jumlah penduduk miskin.",
                "The BDT is not poverty data: it holds the 40% lowest, about four times the "
                "poor population.",
            ),
            Label(
                "Kode 00 = Indonesia (nasional). Individu BDT nasional hanya diisi bila gudang "
                "data memuat seluruh provinsi; angka kemiskinan dari seed reference.poverty_"
                "figures, tahun dapat berbeda dengan BDT (PBDT 2015).",
                "Code 00 = Indonesia (national). National BDT individuals are shown only when "
                "the warehouse holds every province; poverty figures from the seed reference."
                "poverty_figures, their year may differ from the BDT's (PBDT 2015).",
            ),
            *(
                sources
                or (
                    Label(
                        "Tidak ada angka kemiskinan untuk wilayah terpilih "
                        "(reference.poverty_figures).",
                        "No poverty figure is known for the selected regions "
                        "(reference.poverty_figures).",
                    ),
                )
            ),
        ),
        row_relations=desil_relations([Measure("bdt_individuals", "members")], extract),
        additive_rows=False,
        suppression_domain="poverty_regions",
    )


def pkh_non_bdt_table(extract: Extract) -> Table:
    """9. BDT households and families, and the PKH non-BDT families appended (BDT 2017)."""
    households = extract.households
    is_bdt = (households["household_source"] == "BDT").astype(float)
    is_pkh = (households["household_source"] == "PKH non-BDT").astype(float)
    frame = households.assign(
        bdt_households=is_bdt,
        bdt_families=is_bdt * households["family_count"].astype(float),
        pkh_non_bdt_families=is_pkh,
    )
    sums = sums_by_region(
        frame,
        ["bdt_households", "bdt_families", "pkh_non_bdt_families"],
        list(extract.regions["region_code"]),
    )
    sums["all_households"] = sums["bdt_households"] + sums["pkh_non_bdt_families"]
    sums["all_families"] = sums["bdt_families"] + sums["pkh_non_bdt_families"]
    units = {
        "bdt_households": "households",
        "bdt_families": "families",
        "pkh_non_bdt_families": "families",
        "all_households": "households",
        "all_families": "families",
    }
    measures = [Measure(code, code, unit=unit) for code, unit in units.items()]
    key = {code: cell_key(code, ALL) for code in units}
    return Table(
        9,
        "pkh_non_bdt",
        Label(
            "Rumah tangga BDT dan keluarga PKH non-BDT (pemutakhiran BDT 2017)",
            "BDT households and PKH non-BDT families (BDT 2017 update)",
        ),
        measure_cells(sums, measures, extract, desil=ALL),
        (
            Panel(
                Label("Rumah tangga dan keluarga", "Households and families"),
                "households",
                tuple(Column(ALL, code, MEASURES[code]) for code in units),
            ),
        ),
        notes=(
            Label(
                "Seperti pemutakhiran BDT 2017: keluarga PKH yang tidak ditemukan di BDT (baik "
                "melalui IDBDT maupun NIK pengurus) ditambahkan sebagai rumah tangga; satu "
                "keluarga = satu rumah tangga. Rumah tangga BDT termasuk non-desil.",
                "As in the BDT 2017 update: PKH families found in the BDT neither by IDBDT nor "
                "by the recipient's NIK are appended as households; one family = one household. "
                "BDT households include the non-desil ones.",
            ),
            Label(
                "Keluarga dalam rumah tangga BDT: nomor urut keluarga (NUK) yang berbeda di "
                "antara anggota.",
                "Families in BDT households: distinct family numbers (NUK) among the members.",
            ),
        ),
        row_relations=(
            (key["bdt_households"], key["pkh_non_bdt_families"], key["all_households"]),
            (key["bdt_families"], key["pkh_non_bdt_families"], key["all_families"]),
        ),
        linked=(
            (key["bdt_households"], key["bdt_families"]),
            (key["all_households"], key["all_families"]),
        ),
    )


def priority_table(extract: Extract) -> Table:
    """10. Desil-1 households by priority group (who is helped first within the desil)."""
    households = in_target_desil(extract.households)
    desil_1 = households[households["desil"] == "1"]
    groups = {
        f"households_priority_{group}": equals(desil_1["priority_group"], group)
        for group in labels.PRIORITY_GROUPS
    }
    sums = sums_by_region(
        desil_1.assign(households=1.0, **groups),
        ["households", *groups],
        list(extract.regions["region_code"]),
    )
    measures = [Measure(code, code) for code in groups] + [Measure("households", "households")]
    return Table(
        10,
        "priority",
        Label(
            "Rumah tangga desil 1 menurut kelompok prioritas",
            "Desil-1 households by priority group",
        ),
        measure_cells(sums, measures, extract, desil="1"),
        (
            Panel(
                Label("Rumah tangga desil 1", "Desil-1 households"),
                "households",
                (
                    *(
                        Column("1", code, labels.PRIORITY_GROUPS[group])
                        for group, code in zip(labels.PRIORITY_GROUPS, groups, strict=True)
                    ),
                    Column("1", "households", Label("Jumlah desil 1", "Total desil 1")),
                ),
            ),
        ),
        notes=(
            Label(
                "Lebih berhak dibantu lebih dahulu: anggota lain (bukan kepala/pasangan) tidak "
                "bekerja, lebih banyak tanggungan, pasangan tidak bekerja (int_households__"
                "welfare). Kelompok 1 = pasangan dan anggota lain tidak bekerja; 2 = hanya "
                "salah satu; 3 = keduanya bekerja.",
                "More entitled to help first: other members (not the head or spouse) do not "
                "work, more dependents, the spouse does not work (int_households__welfare). "
                "Group 1 = neither the spouse nor other members work; 2 = only one of them; "
                "3 = both work.",
            ),
            Label(
                "Kolom jumlah sama dengan kolom desil 1 Tabel 1 dan disupresi bersama.",
                "The total column is Table 1's desil-1 column and is suppressed with it.",
            ),
        ),
        row_relations=(tuple(cell_key(measure.code, "1") for measure in measures),),
    )


TABLES: tuple[Callable[[Extract], Table], ...] = (
    households_table,
    demography_table,
    education_table,
    work_table,
    housing_table,
    assets_table,
    programs_table,
    poverty_table,
    pkh_non_bdt_table,
    priority_table,
)
