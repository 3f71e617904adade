"""The publication tables, one function each, computed from the warehouse extract. Each returns
a Table whose cells are tidy (one row per region x desil x measure) and not yet suppressed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import labels
from .aggregate import (
    Indicator,
    Measure,
    Question,
    answer_in,
    answer_true,
    desil_codes,
    desil_panels,
    desil_relations,
    equals,
    household_cells,
    in_target_desil,
    indicator_columns,
    measure_cells,
    member_cells,
    share,
    sums_by_region,
)
from .history_tables import HISTORY_TABLES
from .labels import MEASURES, PROGRAMS, Label
from .model import (
    ALL,
    CELL_COLUMNS,
    COUNT,
    HOUSEHOLDS,
    KNOWN,
    MEAN,
    RATIO,
    REFERENCE,
    TOTAL,
    UNKNOWN,
    Column,
    Panel,
    Table,
    cell_key,
)
from .questions import FEMALE, MEMBER_QUESTIONS
from .warehouse import ASSET_CODES, Extract

# The household indicators (deprivation flags, crowding, sector groups, the leakage target
# desil) are defined once in dbt (int_households__indicators, var household_indicators) and read
# from marts.dim_household; these are the values of its column head_sector_group.
SECTOR_GROUPS = ("agriculture", "industry", "services")
NO_DIPLOMA = 0
ELDERLY_AGE = 60
# bps_code of the national row of reference.poverty_figures (no BPS province has code 00).
NATIONAL_CODE = "00"
# The raw columns (raw_table.column, as in marts.dim_delivery.absent_optional_columns) that the
# tables of the questionnaire's rest (issue #17) are made from.
PHONE_COLUMN = "bdt_households.ada_hp"
BUSINESS_COLUMN = "bdt_individuals.lapangan_usahaart"
FAMILY_PLANNING_COLUMN = "bdt_individuals.sta_kb"
DOCUMENTS_COLUMN = "bdt_individuals.ada_kartu_identitas"


# -- the tables ---------------------------------------------------------------------------------


def households_table(extract: Extract) -> Table:
    """1. Households and individuals by region and desil, beside the reported household size."""
    measures = [
        Measure("households", "households"),
        Measure("individuals", "members", unit="persons", base="households"),
        Measure("reported_members", "reported_members", unit="persons", base="households"),
    ]
    cells = household_cells(
        extract,
        {
            "members": lambda h: h["member_count"],
            "reported_members": lambda h: h["reported_member_count"].fillna(0),
        },
        measures,
    )
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
                "Individu: baris anggota rumah tangga di gudang data (marts.dim_individual), "
                "yaitu baris file individu setelah baris yatim, IDARTBDT ganda dan NIK ganda "
                "dikarantina. Jumlah ART dilaporkan: jumlah kolom Jumlah_ART rumah tangga, "
                "seperti tertulis di file rumah tangga; keduanya bisa berbeda.",
                "Individuals: the member rows in the warehouse (marts.dim_individual), i.e. the "
                "rows of the individual file once orphan rows, repeated IDARTBDTs and duplicate "
                "NIKs are quarantined. Reported members: the households' Jumlah_ART summed, as "
                "written in the household file; the two may differ.",
            ),
        ),
        row_relations=desil_relations(measures, extract),
        linked=tuple(
            (
                cell_key("households", desil),
                cell_key("individuals", desil),
                cell_key("reported_members", desil),
            )
            for desil in [*desil_codes(extract), TOTAL]
        ),
    )


def _coded_answer(column: str, *codes: int) -> Question:
    """A question on a coded column of the household rows: yes for `codes`, no for another
    code, unknown when blank (a head's column is also blank when there is no head)."""
    return Question(lambda h: answer_in(h[column], *codes))


def _flag(column: str) -> Question:
    """A question answered by a household indicator of dim_household: true, false, or null
    (unknown)."""
    return Question(lambda h: answer_true(h[column]))


def demography_table(extract: Extract) -> Table:
    """2. Demography: household size, female and elderly heads, dependency, disability."""
    indicators: dict[str, Indicator] = {
        "members": lambda h: h["member_count"].fillna(0),
        "female_head": _coded_answer("head_sex_code", FEMALE),
        "elderly_head": Question(
            lambda h: (h["head_age"] >= ELDERLY_AGE).astype(float).where(h["head_age"].notna())
        ),
        "dependents": lambda h: h["dependent_count"].fillna(0),
        "working_age": lambda h: h["working_age_count"].fillna(0),
        "disabled_or_ill": _flag("has_disabled_or_ill_member"),
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
            labels.ages_note(extract.delivery.as_of),
            Label(
                "Kepala: anggota pertama dengan hubungan 1 (kepala rumah tangga); rumah tangga "
                "tanpa kepala: tidak diketahui. Anggota yang umurnya tidak diketahui tidak "
                "dihitung pada rasio ketergantungan.",
                "Head: the first member with relation 1 (household head); a household without "
                "one is unknown. Members of unknown age are in neither term of the dependency "
                "ratio.",
            ),
            labels.SHARE_NOTE,
        ),
    )


def education_table(extract: Extract) -> Table:
    """3. Education: school participation of children by age and sex; heads without diploma."""
    children = [
        share(question.name, question.name, base_unit="persons")
        for question in MEMBER_QUESTIONS
        if question.name.startswith("in_school_")
    ]
    head_measure = share("head_no_diploma", "head_no_diploma")
    head_part = household_cells(
        extract,
        {"head_no_diploma": _coded_answer("head_implied_diploma_code", NO_DIPLOMA)},
        [head_measure],
    )
    return Table(
        3,
        "education",
        Label("Pendidikan", "Education"),
        pd.concat([member_cells(extract, children), head_part], ignore_index=True),
        desil_panels([*children, head_measure], extract),
        notes=(
            Label(
                "Partisipasi sekolah: persentase anak pada kelompok umur yang masih bersekolah "
                "(partisipasi sekolah = 1) di antara anak yang partisipasi sekolahnya diketahui.",
                "School participation: share of the children of the age group still in school "
                "(school participation code 1) among those whose participation is known.",
            ),
            labels.ages_note(extract.delivery.as_of),
            Label(
                "Kepala tanpa ijazah: ijazah tertinggi = 0, atau tidak pernah sekolah "
                "(partisipasi sekolah = 0: pertanyaan ijazah dilewati, artinya tanpa ijazah).",
                "Heads with no diploma: highest diploma 0, or never attended school (school "
                "participation 0: the diploma question is skipped, meaning no diploma).",
            ),
            labels.SHARE_NOTE,
        ),
    )


def _head_sector(group: str) -> Question:
    """Among the heads who worked: the head's sector group (head_sector_group of dim_household)
    is `group` (unknown sector: NaN)."""
    return Question(
        lambda h: (
            (h["head_sector_group"] == group).astype(float).where(h["head_sector_group"].notna())
        ),
        population=lambda h: equals(h["head_worked_code"], 1),
    )


def work_table(extract: Extract) -> Table:
    """4. Work: heads working, their sector, children 10-17 working."""
    indicators: dict[str, Indicator] = {"head_working": _coded_answer("head_worked_code", 1)}
    indicators.update({f"head_sector_{group}": _head_sector(group) for group in SECTOR_GROUPS})
    head_measures = [share(name, name) for name in indicators]
    child_measure = share("children_10_17_working", "working_10_17", base_unit="persons")
    return Table(
        4,
        "work",
        Label("Pekerjaan", "Work"),
        pd.concat(
            [
                household_cells(extract, indicators, head_measures),
                member_cells(extract, [child_measure]),
            ],
            ignore_index=True,
        ),
        desil_panels([*head_measures, child_measure], extract),
        notes=(
            Label(
                "Bekerja: bekerja seminggu terakhir (status bekerja = 1). Sektor: persentase "
                "kepala yang bekerja dengan lapangan usaha diketahui; pertanian = 1-7, industri "
                "= 8-11, jasa = 12-21 (pertanyaan lapangan usaha hanya untuk yang bekerja).",
                "Working: worked in the past week (sta_bekerja = 1). Sector: share of the "
                "working heads with a known sector; agriculture = lapangan usaha 1-7, industry "
                "= 8-11, services = 12-21 (the sector is asked only of those who worked).",
            ),
            Label(
                "Anak bekerja: persentase anggota umur 10-17 tahun yang bekerja seminggu "
                "terakhir, di antara yang status bekerjanya diketahui (ditanyakan kepada umur 5 "
                "tahun ke atas).",
                "Children working: share of the members aged 10-17 who worked in the past week, "
                "among those whose answer is known (asked of members aged 5 and over).",
            ),
            labels.SHARE_NOTE,
        ),
    )


def housing_table(extract: Extract) -> Table:
    """5. Housing conditions (the indicators of dim_household)."""
    indicators: dict[str, Indicator] = {
        "earth_floor": _flag("has_earth_floor"),
        "bamboo_or_wood_walls": _flag("has_bamboo_or_wood_walls"),
        "no_pln_electricity": _flag("lacks_pln_electricity"),
        "unimproved_water": _flag("has_unimproved_water"),
        "no_own_toilet": _flag("lacks_own_toilet"),
        "firewood_cooking": _flag("cooks_with_firewood"),
        "crowded_floor_area": _flag("is_crowded"),
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
    """6. Assets owned (the mobile phone "not in this delivery" when its files lack ada_hp)."""
    codes = [*ASSET_CODES, "livestock"]
    indicators: dict[str, Indicator] = {
        f"owns_{code}": Question(lambda h, c=code: answer_true(h[f"owns_{c}"])) for code in codes
    }
    measures = [share(name, name) for name in indicators]
    absent = _absent_columns(extract, PHONE_COLUMN)
    cells = household_cells(extract, indicators, measures)
    if absent:
        cells = cells[cells["measure"] != "owns_mobile_phone"].reset_index(drop=True)
    return Table(
        6,
        "assets",
        Label("Kepemilikan aset", "Assets owned"),
        cells,
        _marked_absent(desil_panels(measures, extract), {"owns_mobile_phone"} if absent else set()),
        notes=(
            *_absent_notes(extract, absent),
            Label(
                "Dari marts.fct_household_assets. Ternak: memiliki sapi, kerbau, kuda, babi "
                "atau kambing (jumlah > 0); tidak diketahui bila tidak memiliki yang diketahui "
                "dan jumlah salah satu ternak tidak diketahui.",
                "From marts.fct_household_assets. Livestock: owns cattle, buffalo, horses, pigs "
                "or goats (number > 0); unknown when none known is owned and the number of some "
                "kind is unknown.",
            ),
            labels.SHARE_NOTE,
        ),
    )


def _receives(program: str) -> Question:
    """Receipt of a program: a record of it in the data, or none (never unknown)."""
    return Question(lambda h: h[f"receives_{program}"].astype(float), can_be_unknown=False)


def _targeting_cells(
    extract: Extract,
    frame: pd.DataFrame,
    indicators: dict[str, Indicator],
    measures: list[Measure],
    desil: str,
) -> pd.DataFrame:
    """Cells of measures over `frame` by region only (their desil column is `desil`)."""
    columns = indicator_columns(frame, indicators)
    sums = sums_by_region(
        frame.assign(households=1.0, **columns),
        ["households", *columns],
        list(extract.regions["region_code"]),
    )
    return measure_cells(sums, measures, extract, desil=desil)


def programs_table(extract: Extract) -> Table:
    """7. Programs: receipt by desil, and the targeting view (coverage of desil 1, leakage)."""
    indicators: dict[str, Indicator] = {
        f"receives_{program}": _receives(program) for program in PROGRAMS
    }
    receipt = [share(name, name, can_be_unknown=False) for name in indicators]
    by_desil = household_cells(extract, indicators, receipt)

    desil_1 = in_target_desil(extract.households)
    desil_1 = desil_1[desil_1["desil"] == "1"]
    coverage = _targeting_cells(
        extract,
        desil_1,
        indicators,
        [
            share(f"coverage_{program}", f"receives_{program}", can_be_unknown=False)
            for program in PROGRAMS
        ],
        "1",
    )
    undercoverage = coverage.assign(
        measure=coverage["measure"].str.replace("coverage_", "undercoverage_"),
        value=100.0 - coverage["value"],
    )
    # Leakage inside the BDT: recipient households outside the leakage target desil 1-2
    # (is_leakage_target_desil of dim_household; non-desil included).
    bdt = extract.households[extract.households["household_source"] == "BDT"]
    leakage_bdt = _targeting_cells(
        extract,
        bdt,
        {
            f"outside_{program}": Question(
                lambda h: (~h["is_leakage_target_desil"]).astype(float),
                population=lambda h, p=program: h[f"receives_{p}"].astype(float),
                can_be_unknown=False,
            )
            for program in PROGRAMS
        },
        [
            share(f"leakage_bdt_{program}", f"outside_{program}", can_be_unknown=False)
            for program in PROGRAMS
        ],
        ALL,
    )
    # PKH paid to families outside the BDT (appended as PKH non-BDT households).
    leakage_non_bdt = _targeting_cells(
        extract,
        extract.households,
        {
            "pkh_outside_bdt": Question(
                lambda h: (h["household_source"] == "PKH non-BDT").astype(float),
                population=lambda h: h["receives_pkh"].astype(float),
                can_be_unknown=False,
            )
        },
        [share("leakage_non_bdt_pkh", "pkh_outside_bdt", can_be_unknown=False)],
        ALL,
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
                "leakage_bdt",
                ALL,
                Label(
                    "Inklusi di dalam BDT: % rumah tangga BDT penerima di luar desil 1-2",
                    "Inclusion inside the BDT: % of BDT recipient households outside desil 1-2",
                ),
            ),
        )
    )
    non_bdt_panel = Panel(
        Label(
            "Inklusi di luar BDT: % penerima PKH yang keluarga PKH non-BDT",
            "Inclusion outside the BDT: % of PKH recipients that are PKH non-BDT families",
        ),
        "percent",
        (Column(ALL, "leakage_non_bdt_pkh", PROGRAMS["pkh"]),),
    )
    return Table(
        7,
        "programs",
        Label("Penerima program dan ketepatan sasaran", "Program receipt and targeting"),
        pd.concat(
            [by_desil, coverage, undercoverage, leakage_bdt, leakage_non_bdt], ignore_index=True
        ),
        (*desil_panels(receipt, extract), *targeting_panels, non_bdt_panel),
        notes=(
            Label(
                "Menerima: rumah tangga dengan catatan program di data (tanda program BDT "
                "2015-2017 atau daftar bayar PKH 2016-2017); Rastra dan BPNT digabung. Tanpa "
                "catatan = tidak menerima (tidak ada nilai tidak diketahui).",
                "Receiving: households with a record of the program in the data (BDT program "
                "flags 2015-2017 or the PKH payment lists 2016-2017); Rastra and BPNT together. "
                "No record = not receiving (no value is unknown).",
            ),
            Label(
                "Cakupan desil 1 = % rumah tangga desil 1 yang menerima; eksklusi = 100 - "
                "cakupan. Inklusi di dalam BDT = % rumah tangga BDT penerima yang berada di luar "
                "desil 1-2 (desil 3-4 dan non-desil). Inklusi di luar BDT (PKH) = % penerima PKH "
                "(rumah tangga BDT penerima PKH dan keluarga PKH non-BDT) yang keluarga PKH "
                "non-BDT. Keduanya dihitung atas semua desil.",
                "Coverage of desil 1 = % of desil-1 households receiving; exclusion = 100 - "
                "coverage. Inclusion inside the BDT = % of the BDT recipient households outside "
                "desil 1-2 (desil 3-4 and non-desil). Inclusion outside the BDT (PKH) = % of PKH "
                "recipients (BDT households receiving PKH and PKH non-BDT families) that are PKH "
                "non-BDT families. Both over every desil.",
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
                base_unit="households",
                base_households=lambda cells: cells["base"],
                unknown=np.nan,
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
            not_poverty_data(max(extract.bands)),
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


def not_poverty_data(max_desil: int) -> Label:
    """The note that the registry is not poverty data, for its target desil 1-max_desil."""
    share = max_desil * 10
    return Label(
        f"BDT bukan data kemiskinan: desil target 1-{max_desil} memuat {share}% penduduk dengan "
        "status sosial ekonomi terendah, jauh lebih banyak dari penduduk miskin (BDT 2015: 40%, "
        "kira-kira empat kali).",
        f"The BDT is not poverty data: the target desil 1-{max_desil} hold the {share}% lowest, "
        "far more than the poor population (BDT 2015: the 40% lowest, about four times).",
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


# -- the questionnaire's rest (issue #17): the counts per household of marts.dim_household -----


def _absent_columns(extract: Extract, *columns: str) -> list[str]:
    """The columns of `columns` the delivery's files lack (marts.dim_delivery)."""
    return [column for column in columns if column in extract.delivery.absent_columns]


def _absent_notes(extract: Extract, absent: list[str]) -> tuple[Label, ...]:
    if not absent:
        return ()
    names = [column.split(".", 1)[1] for column in absent]
    return (labels.not_in_delivery_note(extract.delivery.label, names),)


def _marked_absent(panels: tuple[Panel, ...], measures: set[str]) -> tuple[Panel, ...]:
    """The panels, those of `measures` titled "not in this delivery"."""
    return tuple(
        Panel(
            Label(
                f"{panel.title.id} ({labels.NOT_IN_DELIVERY.id})",
                f"{panel.title.en} ({labels.NOT_IN_DELIVERY.en})",
            ),
            panel.unit,
            panel.columns,
        )
        if {column.measure for column in panel.columns} <= measures
        else panel
        for panel in panels
    )


def _not_in_delivery(
    number: int, name: str, title: Label, extract: Extract, absent: list[str]
) -> Table:
    """A table whose columns the delivery lacks: no cells, its title and note say so."""
    return Table(
        number,
        name,
        Label(
            f"{title.id} ({labels.NOT_IN_DELIVERY.id})", f"{title.en} ({labels.NOT_IN_DELIVERY.en})"
        ),
        pd.DataFrame(columns=CELL_COLUMNS),
        (),
        notes=_absent_notes(extract, absent),
    )


def _member_share(name: str, yes: str, population: str, unknown: str) -> dict[str, Indicator]:
    """The columns of a person question summed per household in dim_household: `yes` members of
    `population`, of whom `unknown` answered nothing; the households behind the known."""
    return {
        name: lambda h: h[yes].fillna(0),
        name + KNOWN: lambda h: (h[population] - h[unknown]).fillna(0),
        name + UNKNOWN: lambda h: h[unknown].fillna(0),
        name + HOUSEHOLDS: lambda h: (h[population] - h[unknown]).fillna(0) > 0,
    }


def micro_business_table(extract: Extract) -> Table:
    """15. Household members running a business of their own, by sector group (the KUR view)."""
    title = Label(
        "Anggota rumah tangga dengan usaha mikro/kecil sendiri menurut sektor (sasaran KUR)",
        "Household members running a micro or small business, by sector (the KUR view)",
    )
    absent = _absent_columns(extract, BUSINESS_COLUMN)
    if absent:
        return _not_in_delivery(15, "micro_business", title, extract, absent)
    groups = [*SECTOR_GROUPS, "members"]
    counts = {
        group: (
            "own_business_member_count"
            if group == "members"
            else f"own_business_{group}_member_count"
        )
        for group in groups
    }
    indicators: dict[str, Indicator] = {}
    for group, column in counts.items():
        indicators[f"own_business_{group}"] = lambda h, c=column: h[c].fillna(0)
        indicators[f"own_business_{group}{HOUSEHOLDS}"] = lambda h, c=column: h[c].fillna(0) > 0
    measures = [
        Measure(
            f"own_business_{group}",
            f"own_business_{group}",
            unit="persons",
            # suppressed when the persons or the households they belong to are below k
            base=f"own_business_{group}{HOUSEHOLDS}",
        )
        for group in groups
    ]
    desils = [*desil_codes(extract), TOTAL]
    return Table(
        15,
        "micro_business",
        title,
        household_cells(extract, indicators, measures),
        desil_panels(measures, extract),
        notes=(
            Label(
                "Usaha sendiri: lapangan_usahaART terisi (kuesioner PBDT 2015: ditanyakan kepada "
                "anggota yang bekerja; kosong bila tidak berusaha). Sektor seperti Tabel 4: "
                "pertanian = 1-7, industri = 8-11, jasa = 12-21. Dari marts.dim_household "
                "(own_business_*_member_count).",
                "Own business: lapangan_usahaART filled in (PBDT 2015 form: asked of members "
                "who worked; blank when they run none). Sectors as in Table 4: agriculture = "
                "1-7, industry = 8-11, services = 12-21. From marts.dim_household "
                "(own_business_*_member_count).",
            ),
        ),
        row_relations=(
            *desil_relations(measures, extract),
            *(
                tuple(cell_key(f"own_business_{group}", desil) for group in groups)
                for desil in desils
            ),
        ),
    )


@dataclass(frozen=True)
class MemberShare:
    """A published share of persons from dim_household's member counts: `yes` of
    `population`, of whom `unknown` answered nothing (_member_share)."""

    number: int
    name: str
    title: Label
    column: str  # the raw column the delivery must hold (else "not in this delivery")
    measure: str  # the published measure (labels.MEASURES)
    indicator: str  # the per-household indicator it is computed from
    yes: str
    population: str
    unknown: str
    definition: Label


def _member_share_table(extract: Extract, spec: MemberShare) -> Table:
    """A table of one MemberShare by desil."""
    absent = _absent_columns(extract, spec.column)
    if absent:
        return _not_in_delivery(spec.number, spec.name, spec.title, extract, absent)
    measures = [share(spec.measure, spec.indicator, base_unit="persons")]
    indicators = _member_share(spec.indicator, spec.yes, spec.population, spec.unknown)
    return Table(
        spec.number,
        spec.name,
        spec.title,
        household_cells(extract, indicators, measures),
        desil_panels(measures, extract),
        notes=(spec.definition, labels.ages_note(extract.delivery.as_of), labels.SHARE_NOTE),
    )


FAMILY_PLANNING = MemberShare(
    number=16,
    name="family_planning",
    title=Label(
        "Pemakaian KB perempuan kawin umur 15-49 tahun",
        "Family-planning (KB) use among married women aged 15-49",
    ),
    column=FAMILY_PLANNING_COLUMN,
    measure="family_planning_use_15_49",
    indicator="kb_15_49",
    yes="family_planning_users_15_49_count",
    population="family_planning_women_15_49_count",
    unknown="family_planning_unknown_15_49_count",
    definition=Label(
        "Perempuan kawin (status kawin 2) umur 15-49: pertanyaan KB ditanyakan kepada "
        "perempuan kawin umur 10-49; umur 10-14 tidak dihitung. Dari marts.dim_household "
        "(family_planning_*_15_49_count).",
        "Married women (marital status 2) aged 15-49: the KB question is asked of "
        "married women aged 10-49; ages 10-14 are left out. From marts.dim_household "
        "(family_planning_*_15_49_count).",
    ),
)
BIRTH_CERTIFICATES = MemberShare(
    number=17,
    name="birth_certificates",
    title=Label(
        "Kepemilikan akta kelahiran anak umur 0-17 tahun",
        "Birth-certificate coverage of children aged 0-17",
    ),
    column=DOCUMENTS_COLUMN,
    measure="birth_certificate_0_17",
    indicator="birth_certificate_0_17",
    yes="children_0_17_with_birth_certificate_count",
    population="children_0_17_count",
    unknown="children_0_17_documents_unknown_count",
    definition=Label(
        "Akta kelahiran: bit 1 dari Ada_kartu_identitas (jumlah kode dokumen: 1 akta "
        "kelahiran, 2 kartu pelajar, 4 KTP, 8 SIM). Dari marts.dim_household "
        "(children_0_17_*_count).",
        "Birth certificate: bit 1 of Ada_kartu_identitas (document codes summed: 1 birth "
        "certificate, 2 student card, 4 KTP, 8 driving licence). From "
        "marts.dim_household (children_0_17_*_count).",
    ),
)


def family_planning_table(extract: Extract) -> Table:
    """16. KB use among married women aged 15-49."""
    return _member_share_table(extract, FAMILY_PLANNING)


def birth_certificate_table(extract: Extract) -> Table:
    """17. Birth-certificate coverage of children aged 0-17 (the civil-registration gap)."""
    return _member_share_table(extract, BIRTH_CERTIFICATES)


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
    *HISTORY_TABLES,
    micro_business_table,
    family_planning_table,
    birth_certificate_table,
)
